package org.blockwatch.agent.export;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/**
 * One interval in which a target kept one state on one network (PROBE.md's columns). An outage of
 * the probe's own network is a row with an empty target and category and the state {@code offline}.
 */
@JsonPropertyOrder({"target", "category", "probe_asn", "probe_cc", "state", "method", "start", "end", "measurements",
        "first_measurement_id", "last_measurement_id"})
public record TimelineRow(
        String target,
        String category,
        @JsonProperty("probe_asn") String probeAsn,
        @JsonProperty("probe_cc") String probeCc,
        String state,
        String method,
        Instant start,
        Instant end,
        long measurements,
        @JsonProperty("first_measurement_id") String firstMeasurementId,
        @JsonProperty("last_measurement_id") String lastMeasurementId) {

    public static final String OFFLINE = "offline";
}
