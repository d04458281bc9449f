package org.blockwatch.agent.store;

import org.blockwatch.core.nettest.Speed;
import java.time.Instant;
import java.util.List;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.verdict.Verdict.Method;
import org.blockwatch.core.verdict.Verdict.Status;

/**
 * A measurement as the store keeps it: the indexed columns (its kind, OONI's {@code test_name},
 * among them), its speed, its measurement_uid and its document, in its final form.
 */
public record StoredMeasurement(Instant measuredAt, String testName, String target, String category, ProbeInfo probe, Status status,
        Method method, List<String> flags, Speed speed, String uid, String json) {
    public StoredMeasurement {
        flags = List.copyOf(flags);
    }

    /** A measurement whose speed and id are not known (a store written before either was kept). */
    public StoredMeasurement(Instant measuredAt, String target, String category, ProbeInfo probe, Status status, Method method,
            List<String> flags, String json) {
        this(measuredAt, "web_connectivity", target, category, probe, status, method, flags, Speed.UNKNOWN, null, json);
    }
}
