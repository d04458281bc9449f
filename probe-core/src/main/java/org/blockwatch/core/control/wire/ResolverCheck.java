package org.blockwatch.core.control.wire;

import java.util.List;

/**
 * blockwatch's extension of the test-helper protocol for dnscheck: {@code POST x/dnscheck} (beside
 * the helper's URL) with one resolver URL (as {@code org.blockwatch.core.dns.ResolverUrl} reads
 * it) and the names to look up; the helper resolves the resolver's name itself when it has one
 * (with its own resolver), asks each of its first {@link #MAX_ADDRESSES} addresses for each name
 * over the same protocol (A and AAAA), and answers what each lookup gave. OONI's helpers do not
 * serve it (they answer 404), and OONI's clients never ask it: the TH protocol is unchanged.
 */
public final class ResolverCheck {
    private ResolverCheck() {}

    /** The path beside the helper's URL. */
    public static final String PATH = "x/dnscheck";
    /** Names in one request, at most (a helper is not a resolver for its clients). */
    public static final int MAX_DOMAINS = 4;
    /** Addresses of a resolver's name the helper asks, at most. */
    public static final int MAX_ADDRESSES = 2;

    /** @param resolver the resolver's URL ({@code dot://dns.example:853}); @param domains the names to look up */
    public record Request(String resolver, List<String> domains) {
        public Request {
            domains = domains == null ? List.of() : List.copyOf(domains);
        }
    }

    /**
     * One lookup from the helper: the resolver at one address ({@code endpoint}, the URL at that
     * address as dnscheck names its lookups), one name; its failure and the operation it broke in
     * (null when it found addresses), whether a response of the resolver arrived at all (an
     * NXDOMAIN is one), and the addresses found.
     */
    public record Lookup(String endpoint, String domain, String failure, String failedOperation, boolean answered, List<String> addresses) {
        public Lookup {
            addresses = addresses == null ? List.of() : List.copyOf(addresses);
        }
    }

    /** The helper's bootstrap failure (null: none, or no name to resolve) and its lookups. */
    public record Response(String bootstrapFailure, List<Lookup> lookups) {
        public Response {
            lookups = lookups == null ? List.of() : List.copyOf(lookups);
        }
    }
}
