package org.blockwatch.core.verdict;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.blockwatch.core.archival.DnsQuery;
import org.blockwatch.core.archival.TcpConnect;
import org.blockwatch.core.archival.TlsHandshake;
import org.blockwatch.core.archival.WebObservation;
import org.blockwatch.core.control.wire.ControlResponse;
import org.blockwatch.core.ip.Endpoint;
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
 *
 * <p>Only the measurement's path is judged ({@link #pathOnly}): the answer the user gets. An
 * extra resolver's answer (DoH, DoT) never makes the path's consistent, nor a site accessible:
 * a DoH resolver that works hides DNS blocking from a test that lets it (ooni/probe#2857). It is
 * evidence instead ({@link #encryptedAgreement}): an encrypted answer that agrees with the
 * control's shows what the path's answer should have been.
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

    /** OONI's engines whose answers no one on the path can forge: DNS over HTTPS, over TLS (and over HTTP/3, over QUIC). */
    static final Set<String> ENCRYPTED_ENGINES = Set.of("doh", "dot", "doh3", "doq");

    /** Whether {@code q} went along the measurement's path: getaddrinfo's, or to the resolver the measurement names. */
    static boolean onPath(DnsQuery q, WebObservation o) {
        return "getaddrinfo".equals(q.engine()) || q.resolverAddress().equals(o.resolverAddress() == null ? "" : o.resolverAddress());
    }

    /**
     * The observation as the path saw it: the extra resolvers' queries left out, and with them
     * the connects and handshakes to the addresses only they gave. The rest of the analysis reads
     * this one, so that an extra resolver's address that worked proves nothing about the site
     * the user reaches.
     */
    static WebObservation pathOnly(WebObservation o) {
        if (o.queries().stream().allMatch(q -> onPath(q, o)) && o.dnsLateReplies().stream().allMatch(q -> onPath(q, o))) return o;
        Set<String> path = new HashSet<>();
        Set<String> extra = new HashSet<>();
        List<DnsQuery> queries = new ArrayList<>();
        List<DnsQuery> late = new ArrayList<>();
        for (DnsQuery q : o.queries()) {
            boolean on = onPath(q, o);
            if (on) queries.add(q);
            (on ? path : extra).addAll(normalised(q.addresses()));
        }
        for (DnsQuery q : o.dnsLateReplies()) {
            boolean on = onPath(q, o);
            if (on) late.add(q);
            (on ? path : extra).addAll(normalised(q.addresses()));
        }
        extra.removeAll(path);
        List<TcpConnect> connects = o.tcpConnect().stream().filter(c -> !extra.contains(normalise(c.ip()))).toList();
        List<TlsHandshake> handshakes = o.tlsHandshakes().stream().filter(h -> !extra.contains(Endpoint.addressOf(h.address()))).toList();
        return new WebObservation(o.input(), o.url(), o.startTime(), o.runtimeSeconds(), o.resolverAddress(), queries, late,
                o.dnsExperimentFailure(), connects, handshakes, o.requests(), o.httpExperimentFailure(), o.failedOperation(),
                o.networkEvents(), o.sniProbes(), o.dnsIntercepted());
    }

    /**
     * An encrypted resolver's answer for {@code host} that the evidence shows to be the site's.
     *
     * @param resolver the resolver, as its queries name it (a DoH URL)
     * @param engine OONI's engine: doh, dot
     * @param address the address proven
     * @param proof how: the control resolved it too, a TLS handshake for the host validated on it, ...
     */
    record EncryptedAnswer(String resolver, String engine, String address, List<String> addresses, String proof) {
        /** One sentence for a verdict's explanation. */
        String sentence() {
            return "The encrypted resolver " + resolver + " (" + engine + ") resolved " + String.join(", ", addresses) + ", and " + proof + ".";
        }
    }

    /**
     * The first encrypted resolver's answer for {@code host} with an address that is the site's:
     * one the control resolved too, in the control's /24 (/48), or on which a TLS handshake for
     * the host validated (here, or at the control). Without a control only a handshake that
     * validated here proves it. A bogon proves nothing, unless the control resolved it too.
     * Null when there is none.
     */
    static EncryptedAnswer encryptedAgreement(WebObservation o, String host, ControlResponse control, Bogons bogons) {
        Set<String> controlAddrs = control == null ? Set.of() : normalised(control.dns().addrs());
        ObservedHops all = new ObservedHops(o);
        List<String> resolvers = new ArrayList<>();
        for (DnsQuery q : o.queries()) {
            if (q.hostname().equalsIgnoreCase(host) && ENCRYPTED_ENGINES.contains(q.engine()) && !onPath(q, o)
                    && !resolvers.contains(q.resolverAddress())) resolvers.add(q.resolverAddress());
        }
        for (String resolver : resolvers) {
            Set<String> addresses = new LinkedHashSet<>();
            String engine = null;
            for (DnsQuery q : o.queries()) {
                if (!q.hostname().equalsIgnoreCase(host) || !q.resolverAddress().equals(resolver) || !ENCRYPTED_ENGINES.contains(q.engine())) continue;
                engine = q.engine();
                for (String a : q.addresses()) addresses.add(normalise(a));
            }
            for (String a : addresses) {
                String proof = null;
                if (controlAddrs.contains(a)) proof = "the control resolved " + a + " too";
                else if (bogons.isBogon(a)) continue;
                else if (all.validatedByTls(a, host)) proof = "a TLS handshake for " + host + " validated on " + a;
                else if (control != null && controlValidated(control, a)) proof = "the control's TLS handshake for " + host + " validated on " + a;
                else if (control != null && controlAddrs.stream().anyMatch(c -> samePrefix(a, c))) proof = a + " is in the network of the control's addresses";
                if (proof != null) return new EncryptedAnswer(resolver, engine, a, List.copyOf(addresses), proof);
            }
        }
        return null;
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
