package org.blockwatch.agent.export;

import java.time.Instant;
import java.util.List;

/**
 * One measurement as a timeline sees it: {@code uid} is its measurement_uid (the one its OONI
 * document carries), and what a row reports of it from the indexed columns: the network's name
 * and the verdict's flags (the resolver, which only the document holds, is looked up per row by
 * {@link Timelines}). A null {@code state} is a break in the series (see {@link TimelineBuilder}).
 */
public record TimelinePoint(String probeAsn, String probeCc, String target, String category, String state, String method, Instant at,
        String uid, String networkName, List<String> flags) {

    public TimelinePoint {
        networkName = networkName == null ? "" : networkName;
        flags = flags == null ? List.of() : List.copyOf(flags);
    }

    /** A measurement of which only the state is known (no name or flags). */
    public TimelinePoint(String probeAsn, String probeCc, String target, String category, String state, String method, Instant at, String uid) {
        this(probeAsn, probeCc, target, category, state, method, at, uid, "", List.of());
    }

    boolean sameSeries(TimelinePoint o) {
        return probeAsn.equals(o.probeAsn) && probeCc.equals(o.probeCc) && target.equals(o.target);
    }

    static TimelinePoint breakIn(String probeAsn, String probeCc, String target, Instant at) {
        return new TimelinePoint(probeAsn, probeCc, target, "", null, null, at, null);
    }

    boolean sameState(TimelinePoint o) {
        return state.equals(o.state) && java.util.Objects.equals(method, o.method);
    }
}
