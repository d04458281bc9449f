package org.blockwatch.core.dns;

import java.util.List;
import org.blockwatch.core.archival.DnsQuery;

/**
 * One host resolved: every record made on the way, the addresses to measure (the primary
 * resolver's first, then any other address seen, late replies included, without duplicates),
 * and the primary resolver's failure ({@code null} when it returned addresses).
 */
public record Resolution(String host, List<DnsQuery> queries, List<DnsQuery> lateReplies, List<String> addresses, String failure) {
    public Resolution {
        queries = List.copyOf(queries);
        lateReplies = List.copyOf(lateReplies);
        addresses = List.copyOf(addresses);
    }

    /** An IP-literal host: nothing to resolve. */
    public static Resolution literal(String ip) {
        return new Resolution(ip, List.of(), List.of(), List.of(ip), null);
    }
}
