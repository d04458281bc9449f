package org.blockwatch.core.verdict;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.blockwatch.core.control.wire.ControlResponse;
import org.blockwatch.core.ip.IpLiteral;
import org.blockwatch.core.ip.Bogons;

/**
 * Whether the probe's DNS answer for the target host can be trusted, OONI's
 * {@code dns_consistency}: {@code consistent}, {@code inconsistent}, or null without evidence.
 *
 * <p>Beyond OONI: an address the control resolved too is consistent even when it is a bogon; an
 * address is proven good when a TLS handshake with the host's name validated on it (here or at
 * the control); and, having no ASN database, an address in the same /24 (IPv4) or /48 (IPv6) as
 * one of the control's counts as OONI's "same ASN" would.
 */
final class DnsConsistency {
    static final String CONSISTENT = "consistent";
    static final String INCONSISTENT = "inconsistent";

    private DnsConsistency() {}

    static String of(ObservedHops hops, String host, String probeFailure, ControlResponse control, Bogons bogons) {
        List<String> probe = hops.addresses(host);
        boolean anyBogon = probe.stream().anyMatch(bogons::isBogon);
        boolean anyValidated = probe.stream().anyMatch(a -> hops.validatedByTls(a, host)
                || (control != null && controlValidated(control, a)));
        if (control == null) {
            if (anyBogon) return INCONSISTENT;
            return anyValidated ? CONSISTENT : null;
        }
        if (probe.isEmpty()) {
            // Both failed (NXDOMAIN at both ends): an expected failure, consistent with the control.
            return control.dns().failure() != null || control.dns().addrs().isEmpty() ? CONSISTENT : INCONSISTENT;
        }
        // The control resolving the same address outranks the bogon rule: then the site's own DNS
        // publishes it (a lab, a misconfigured site), and no one on the path forged it.
        Set<String> controlAddrs = normalised(control.dns().addrs());
        for (String a : probe) {
            if (controlAddrs.contains(a)) return CONSISTENT;
        }
        if (anyBogon) return INCONSISTENT;
        if (anyValidated) return CONSISTENT;
        for (String a : probe) {
            for (String c : controlAddrs) {
                if (samePrefix(a, c)) return CONSISTENT;
            }
        }
        return INCONSISTENT;
    }

    private static boolean controlValidated(ControlResponse control, String address) {
        ControlResponse.TlsHandshake tls = control.tlsHandshake().get(ObservedHops.endpoint(address, 443));
        if (tls != null && tls.status()) return true;
        for (var e : control.ipInfo().entrySet()) {
            if (normalise(e.getKey()).equals(address) && (e.getValue().flags() & ControlResponse.IpInfo.VALID_FOR_DOMAIN) != 0) return true;
        }
        return false;
    }

    static Set<String> normalised(List<String> addresses) {
        Set<String> out = new HashSet<>();
        for (String a : addresses) out.add(normalise(a));
        return out;
    }

    static String normalise(String address) {
        return IpLiteral.parse(address).map(InetAddress::getHostAddress).orElse(address);
    }

    private static boolean samePrefix(String a, String b) {
        byte[] x = IpLiteral.parse(a).map(InetAddress::getAddress).orElse(null);
        byte[] y = IpLiteral.parse(b).map(InetAddress::getAddress).orElse(null);
        if (x == null || y == null || x.length != y.length) return false;
        int bytes = x.length == 4 ? 3 : 6;
        for (int i = 0; i < bytes; i++) {
            if (x[i] != y[i]) return false;
        }
        return true;
    }

}
