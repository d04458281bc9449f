package org.blockwatch.core.measurement;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.blockwatch.core.archival.MeasurementJson;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.archival.Report;
import org.blockwatch.core.archival.WebObservation;
import org.blockwatch.core.control.wire.ControlResult;
import org.blockwatch.core.verdict.Analysis;
import org.blockwatch.core.verdict.Verdict;

/** One complete Web Connectivity measurement: what the probe saw, what the control saw, the verdict. */
public record Measurement(WebObservation observation, ControlResult control, Analysis analysis) {

    public Verdict verdict() {
        return analysis.verdict();
    }

    /** The measurement in OONI's format, {@code verdict} and OONI's result fields in {@code test_keys}. */
    public ObjectNode toJson(ProbeInfo probe) {
        return toJson(probe, Report.none(observation.startTime()));
    }

    /** The measurement as one of {@code report} (its id and test start time). */
    public ObjectNode toJson(ProbeInfo probe, Report report) {
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("control", control.response());
        keys.put("control_failure", control.failure());
        keys.putAll(analysis.testKeys());
        ObjectNode json = MeasurementJson.toJson(observation, probe, report, keys);
        if (control.helper() != null) {
            // OONI's types: "https" for a helper reached over HTTPS, "http" over plain HTTP (labs, a local helper).
            String type = control.helper().regionMatches(true, 0, "http://", 0, 7) ? "http" : "https";
            ((ObjectNode) json.get("test_helpers")).putObject("backend").put("address", control.helper()).put("type", type);
        }
        return json;
    }

    public String toJsonLine(ProbeInfo probe) {
        return toJsonLine(probe, Report.none(observation.startTime()));
    }

    public String toJsonLine(ProbeInfo probe, Report report) {
        try {
            return MeasurementJson.mapper().writeValueAsString(toJson(probe, report));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a measurement could not be written as JSON", e);
        }
    }
}
