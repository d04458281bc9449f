package org.blockwatch.core.dns;

import java.util.List;
import org.blockwatch.core.archival.DnsQuery;

/**
 * One host resolved: every record made on the way, the addresses to measure (the path's: the
 * primary resolver's first, then any other address its path resolvers gave, late replies
 * included, without duplicates), the addresses only the extra resolvers gave (evidence: connected
 * to and handshaken with, never fetched from), and the primary resolver's failure ({@code null}
 * when it returned addresses).
 */
public record Resolution(String host, List<DnsQuery> queries, List<DnsQuery> lateReplies, List<String> addresses,
        List<String> extraAddresses, String failure) {
    public Resolution {
        queries = List.copyOf(queries);
        lateReplies = List.copyOf(lateReplies);
        addresses = List.copyOf(addresses);
        extraAddresses = List.copyOf(extraAddresses);
    }

    /** A resolution without extra resolvers. */
    public Resolution(String host, List<DnsQuery> queries, List<DnsQuery> lateReplies, List<String> addresses, String failure) {
        this(host, queries, lateReplies, addresses, List.of(), failure);
    }

    /** An IP-literal host: nothing to resolve. */
    public static Resolution literal(String ip) {
        return new Resolution(ip, List.of(), List.of(), List.of(ip), null);
    }
}
