package org.blockwatch.sim;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/** What {@link SimDnsServer} does with a query for one name. */
public sealed interface DnsBehaviour {
    /** Answers with the addresses of the queried family (NOERROR and no answer when it has none). */
    record Answer(List<InetAddress> addresses, long ttl) implements DnsBehaviour {}

    /** Answers with a CNAME to {@code target} followed by {@code target}'s addresses. */
    record Alias(String target, List<InetAddress> addresses, long ttl) implements DnsBehaviour {}

    /** Answers with only a response code: NXDOMAIN, SERVFAIL, REFUSED, or NOERROR with no answer. */
    record Code(int rcode) implements DnsBehaviour {}

    /** Sends nothing back. */
    record Silent() implements DnsBehaviour {}

    /** An on-path injector: {@code forged} at once, then {@code real} after {@code delay}. */
    record Race(DnsBehaviour forged, DnsBehaviour real, Duration delay) implements DnsBehaviour {}

    static DnsBehaviour answer(String... ips) {
        return new Answer(java.util.Arrays.stream(ips).map(DnsBehaviour::ip).toList(), 300);
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByAddress(InetAddress.getByName(literal).getAddress());
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
