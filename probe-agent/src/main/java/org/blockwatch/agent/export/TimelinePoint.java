package org.blockwatch.agent.export;

import java.time.Instant;

/**
 * One measurement as a timeline sees it; {@code id} names it in the store (prefixed when stores
 * merge). A null {@code state} is a break in the series (see {@link TimelineBuilder}).
 */
public record TimelinePoint(String probeAsn, String probeCc, String target, String category, String state, String method, Instant at,
        String id) {

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
