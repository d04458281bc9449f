package org.blockwatch.agent.export;

import java.time.Instant;
import java.util.List;
import org.blockwatch.agent.store.NetworkState;

/**
 * One interval in which a target kept one state on one network (the columns of docs/interfaces.md). An outage of
 * the probe's own network is a row with an empty target and category and the state {@code offline}.
 *
 * <p>Evidence: the measurement_uids of its first and last measurement (the ids of {@code export --format
 * ooni-jsonl}); the network's names and the flags seen in it (distinct, in order of first appearance: usually one
 * name); the resolvers its first and last measurement name (one when they agree); and {@code previous}, the last
 * measurement of the row before it in the same series, so that the change is known to have happened between that and
 * {@link #start()}.
 */
public record TimelineRow(
        String target,
        String category,
        String probeAsn,
        String probeCc,
        List<String> networkNames,
        String state,
        String method,
        List<String> flags,
        Instant start,
        Instant end,
        long measurements,
        String firstMeasurementUid,
        String lastMeasurementUid,
        Previous previous,
        List<Resolver> resolvers) {

    public static final String OFFLINE = NetworkState.OFFLINE.label();
    public static final String RESTRICTED = NetworkState.RESTRICTED.label();

    public TimelineRow {
        networkNames = List.copyOf(networkNames);
        flags = List.copyOf(flags);
        resolvers = List.copyOf(resolvers);
    }

    /** The row with the resolvers of its first and last measurement. */
    TimelineRow withResolvers(List<Resolver> resolvers) {
        return new TimelineRow(target, category, probeAsn, probeCc, networkNames, state, method, flags, start, end, measurements, firstMeasurementUid,
                lastMeasurementUid, previous, resolvers);
    }

    /** An outage of the probe's own network: no target, no evidence beyond the measurements made during it. */
    static TimelineRow outage(String probeAsn, String probeCc, String state, Instant start, Instant end, long measurements, String firstUid,
            String lastUid) {
        return new TimelineRow("", "", probeAsn, probeCc, List.of(), state, null, List.of(), start, end, measurements, firstUid, lastUid, null,
                List.of());
    }

    /**
     * The last measurement of the previous row of the same series (network and target): its state and method, when,
     * and its measurement_uid. Between {@code at} and the row's start nothing confirmed either state.
     */
    public record Previous(String state, String method, Instant at, String uid) {}
}
