package org.blockwatch.core.apps;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.blockwatch.core.archival.MeasurementJson;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.nettest.Reach;
import org.blockwatch.core.nettest.Result;
import org.blockwatch.core.verdict.Verdict;

/**
 * One app measurement: the kind's own keys as its OONI spec names them ({@code appKeys}, in the
 * spec's order), OONI's common keys of what the steps recorded, and blockwatch's control and
 * verdict beside them ({@code x_control}, {@code x_control_failure}; the document adds
 * {@code x_verdict}). Immutable.
 *
 * @param appKeys the kind's keys: strings, booleans, numbers, lists of strings, or null
 */
public record AppResult(String input, Instant startTime, double runtimeSeconds, Map<String, Object> appKeys, AppTrace.Records records,
        AppControl.View control, Verdict verdict) implements Result {

    public AppResult {
        appKeys = Collections.unmodifiableMap(new LinkedHashMap<>(appKeys));
    }

    @Override
    public ObjectNode testKeys(ProbeInfo probe) {
        ObjectMapper m = MeasurementJson.mapper();
        ObjectNode keys = m.createObjectNode();
        // OONI's urlgetter-based nettests write these three; nothing in blockwatch goes through a proxy.
        keys.put("agent", "redirect");
        keys.putNull("failed_operation");
        keys.putNull("failure");
        records.writeTo(keys);
        keys.putNull("socksproxy");
        for (Map.Entry<String, Object> e : appKeys.entrySet()) keys.set(e.getKey(), m.valueToTree(e.getValue()));
        // blockwatch's control (OONI's app nettests have none): the helper's answer, or why there is none.
        if (control.available()) keys.set("x_control", m.valueToTree(control.result().response()));
        else keys.putNull("x_control");
        keys.put("x_control_failure", control.failure());
        return keys;
    }

    @Override
    public Map<String, TestHelper> testHelpers() {
        return TestHelper.backend(control.helper());
    }

    @Override
    public Reach reach() {
        return new Reach(control.reach(), records.anythingAnswered());
    }

    @Override
    public long bytes() {
        return records.bytes() + (control.asked() ? 2_000 : 0);
    }

    @Override
    public String summary() {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, Object> e : appKeys.entrySet()) s.append(e.getKey()).append('=').append(e.getValue()).append(' ');
        return s.append("control=").append(!control.asked() ? "not asked" : control.available() ? "ok" : control.failure()).toString();
    }
}
