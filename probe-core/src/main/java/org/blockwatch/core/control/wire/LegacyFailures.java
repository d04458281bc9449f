package org.blockwatch.core.control.wire;

import org.blockwatch.core.failure.Failure;

/**
 * Test helpers answer with OONI's legacy failure strings; the analysis compares in the probe's
 * own strings, so they are mapped once, when a response is read, and written back when our own
 * helper answers a probe that expects them.
 */
public final class LegacyFailures {
    private LegacyFailures() {}

    /** A DNS failure of a helper, in the probe's terms. */
    public static String dns(String failure) {
        if (failure == null) return null;
        return switch (failure) {
            case "dns_name_error", "dns_nxdomain_error" -> Failure.DNS_NXDOMAIN;
            case "dns_server_failure", "dns_servfail_error" -> Failure.DNS_SERVFAIL;
            case "dns_no_answer" -> Failure.DNS_NO_ANSWER;
            default -> generic(failure);
        };
    }

    /** A TCP, TLS or HTTP failure of a helper, in the probe's terms. */
    public static String generic(String failure) {
        if (failure == null) return null;
        return switch (failure) {
            case "connection_refused_error" -> Failure.CONNECTION_REFUSED;
            case "connection_reset_error" -> Failure.CONNECTION_RESET;
            case "dns_lookup_error" -> Failure.DNS_NXDOMAIN;
            case "unknown_error" -> Failure.unknown("unknown_error");
            default -> failure;
        };
    }

    /** Our own DNS failure as OONI's helpers say it, for probes that expect the legacy strings. */
    public static String toLegacyDns(String failure) {
        if (failure == null) return null;
        if (failure.equals(Failure.DNS_NXDOMAIN)) return "dns_name_error";
        return "dns_server_failure";
    }
}
