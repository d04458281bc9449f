package org.blockwatch.core.stun;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.blockwatch.core.archival.DnsQuery;
import org.blockwatch.core.archival.MeasurementJson;
import org.blockwatch.core.archival.NetworkEvent;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.failure.Operation;
import org.blockwatch.core.nettest.Reach;
import org.blockwatch.core.nettest.Result;
import org.blockwatch.core.verdict.Verdict;

/**
 * One STUN binding: OONI's stunreachability keys ({@code endpoint}, {@code failure},
 * {@code network_events}, {@code queries}), with blockwatch's own beside them: the operation that
 * failed and the control's binding. The server's answer (which carries the probe's address) is
 * never kept, only its size.
 */
public record StunResult(String input, Instant startTime, double runtimeSeconds, String endpoint, String failure, Operation failedOperation,
        List<DnsQuery> queries, List<NetworkEvent> networkEvents, StunControl.Answer control, Verdict verdict) implements Result {

    public StunResult {
        queries = List.copyOf(queries);
        networkEvents = List.copyOf(networkEvents);
    }

    @Override
    public ObjectNode testKeys(ProbeInfo probe) {
        ObjectNode keys = MeasurementJson.mapper().createObjectNode();
        keys.put("endpoint", endpoint);
        keys.put("failure", failure);
        keys.set("network_events", MeasurementJson.mapper().valueToTree(networkEvents));
        keys.set("queries", MeasurementJson.mapper().valueToTree(queries));
        keys.set("x_failed_operation", MeasurementJson.mapper().valueToTree(failedOperation));
        // blockwatch's control (OONI's stunreachability has none): the helper's own binding, or why there is none.
        if (control.available()) keys.putObject("x_control").put("failure", control.failure());
        else keys.putNull("x_control");
        keys.put("x_control_failure", control.controlFailure());
        return keys;
    }

    @Override
    public Map<String, TestHelper> testHelpers() {
        return TestHelper.backend(control.helper());
    }

    @Override
    public Reach reach() {
        Reach.Control c = failure == null ? Reach.Control.NOT_ASKED : control.available() ? Reach.Control.ANSWERED : Reach.Control.FAILED;
        return new Reach(c, failure == null);
    }

    /** The query, and a 20-byte request with its answer, retransmissions aside. */
    @Override
    public long bytes() {
        long bytes = 200L * queries.size();
        for (NetworkEvent e : networkEvents) if (e.numBytes() != null) bytes += e.numBytes() + 28; // IP and UDP headers
        return bytes + (control.available() ? 1_000 : 0);
    }

    @Override
    public String summary() {
        return "stun " + endpoint + "=" + (failure == null ? "ok" : failure) + " control="
                + (control.available() ? (control.failure() == null ? "ok" : control.failure()) : control.controlFailure());
    }
}
