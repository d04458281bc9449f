package org.blockwatch.agent.export;

import java.time.Instant;
import org.blockwatch.agent.store.NetworkState;

/**
 * One interval in which a target kept one state on one network (the columns of docs/interfaces.md). An outage of
 * the probe's own network is a row with an empty target and category and the state {@code offline}.
 */
public record TimelineRow(
        String target,
        String category,
        String probeAsn,
        String probeCc,
        String state,
        String method,
        Instant start,
        Instant end,
        long measurements,
        String firstMeasurementId,
        String lastMeasurementId) {

    public static final String OFFLINE = NetworkState.OFFLINE.label();
    public static final String RESTRICTED = NetworkState.RESTRICTED.label();
}
