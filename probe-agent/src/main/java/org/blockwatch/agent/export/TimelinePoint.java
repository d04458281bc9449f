package org.blockwatch.agent.export;

import java.time.Instant;
import java.util.List;

/**
 * One measurement as a timeline sees it: {@code uid} is its measurement_uid (the one its OONI
 * document carries), and what a row reports of it: the network's name, the resolver and the
 * verdict's flags. A null {@code state} is a break in the series (see {@link TimelineBuilder}).
 */
public record TimelinePoint(String probeAsn, String probeCc, String target, String category, String state, String method, Instant at,
        String uid, String networkName, Resolver resolver, List<String> flags) {

    public TimelinePoint {
        networkName = networkName == null ? "" : networkName;
        resolver = resolver == null ? Resolver.UNKNOWN : resolver;
        flags = flags == null ? List.of() : List.copyOf(flags);
    }

    /** A measurement of which only the state is known (no name, resolver or flags). */
    public TimelinePoint(String probeAsn, String probeCc, String target, String category, String state, String method, Instant at, String uid) {
        this(probeAsn, probeCc, target, category, state, method, at, uid, "", Resolver.UNKNOWN, List.of());
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
