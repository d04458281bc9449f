package org.blockwatch.core.dnscheck;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.blockwatch.core.archival.DnsQuery;

/**
 * Whether the resolver asked is the one that answered: the simplest honest signals, decided
 * here and nowhere else. Two: its identity (a CHAOS TXT {@code id.server} query whose answer is
 * known for that resolver, configured as a pattern) answered with another one, or refused by
 * something that answers the rest (a transparent proxy's resolver, not the one asked); and over
 * UDP, two different responses to one query (an injector's first, the resolver's later). A
 * missing response proves nothing and is never a finding.
 */
public final class Interception {
    private Interception() {}

    /** The query that asks a resolver who it is. */
    public static final String IDENTITY_NAME = "id.server";

    /**
     * The identity query's outcome: {@code answered} when a response arrived, its rcode, and its
     * TXT strings joined by a space.
     */
    public record Identity(Pattern expected, boolean answered, Integer rcode, String text, String failure) {}

    /** What was found: an explanation, and whether it was an injection (two replies) rather than an identity. */
    public record Finding(boolean injected, String explanation) {}

    /**
     * @param identity the identity query's outcome, or null when none is configured for the resolver
     * @param queries each query's first response (or failure)
     * @param late the later responses to the same queries (same transaction id)
     */
    public static Optional<Finding> judge(Identity identity, List<DnsQuery> queries, List<DnsQuery> late) {
        for (DnsQuery l : late) {
            for (DnsQuery q : queries) {
                if (q.transactionId() != l.transactionId() || q.rcode() == null) continue;
                if (!q.addresses().equals(l.addresses()) || !q.rcode().equals(l.rcode())) {
                    return Optional.of(new Finding(true, "two different responses to one query for " + q.hostname() + " (" + q.queryType() + "): "
                            + q.addresses() + " first, then " + l.addresses() + "; an injector answered before the resolver"));
                }
            }
        }
        // SERVFAIL proves nothing (an honest resolver failing says it too), as for the web's checks
        // (core.dns.InterceptionCheck); any other answer that is not the identity is another resolver's.
        if (identity != null && identity.answered() && !Integer.valueOf(org.xbill.DNS.Rcode.SERVFAIL).equals(identity.rcode())
                && !(Integer.valueOf(org.xbill.DNS.Rcode.NOERROR).equals(identity.rcode()) && identity.expected().matcher(identity.text()).find())) {
            String said = identity.text().isEmpty() ? "no identity (rcode " + identity.rcode() + ")" : "'" + identity.text() + "'";
            return Optional.of(new Finding(false, "asked who it is (CHAOS TXT " + IDENTITY_NAME + "), the resolver answered " + said
                    + ", not /" + identity.expected().pattern() + "/: another resolver answers in its place"));
        }
        return Optional.empty();
    }
}
