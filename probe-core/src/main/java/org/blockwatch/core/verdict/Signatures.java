package org.blockwatch.core.verdict;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.blockwatch.core.archival.DnsAnswer;
import org.blockwatch.core.archival.DnsQuery;
import org.blockwatch.core.archival.HttpTransaction;
import org.blockwatch.core.archival.TlsHandshake;
import org.blockwatch.core.archival.WebObservation;
import org.blockwatch.core.signature.Fingerprint;
import org.blockwatch.core.signature.FingerprintSet;
import org.blockwatch.core.signature.InterceptionRoots;

/** The evidence in an observation that needs no control: fingerprints, injection, interception roots. */
record Signatures(List<Fingerprint> dnsFingerprints, List<Fingerprint> httpFingerprints, boolean dnsInjected,
        Optional<String> governmentRoot, TlsHandshake governmentHandshake) {

    static Signatures of(WebObservation o, FingerprintSet fingerprints, InterceptionRoots roots) {
        List<Fingerprint> dns = new ArrayList<>();
        for (DnsQuery q : o.queries()) {
            for (DnsAnswer a : q.answers()) {
                String value = a.address() != null ? a.address() : a.hostname();
                if (value != null) addAll(dns, fingerprints.matchDns(value));
            }
        }
        List<Fingerprint> http = new ArrayList<>();
        for (HttpTransaction t : o.requests()) {
            if (t.response() == null) continue;
            addAll(http, fingerprints.matchHeaders(t.response().headersList()));
            addAll(http, t.response().body().read(fingerprints::matchBody));
        }
        Optional<String> government = Optional.empty();
        TlsHandshake governmentHandshake = null;
        for (TlsHandshake h : o.tlsHandshakes()) {
            government = roots.find(h.peerCertificates(), h.trustAnchor());
            if (government.isPresent()) {
                governmentHandshake = h;
                break;
            }
        }
        return new Signatures(List.copyOf(dns), List.copyOf(http), injected(o), government, governmentHandshake);
    }

    /**
     * One query that drew differing answers: an on-path injector answered before the resolver.
     * A retransmitted identical answer is not a difference.
     */
    static boolean injected(WebObservation o) {
        Map<Long, DnsQuery> first = new HashMap<>();
        for (DnsQuery q : o.queries()) first.put(q.transactionId(), q);
        for (DnsQuery late : o.dnsLateReplies()) {
            DnsQuery q = first.get(late.transactionId());
            if (q == null) continue;
            if (!Objects.equals(q.rcode(), late.rcode()) || !Set.copyOf(q.addresses()).equals(Set.copyOf(late.addresses()))) return true;
        }
        return false;
    }

    List<Fingerprint> blockpages() {
        return weighing(Fingerprint.Weight.BLOCKPAGE, httpFingerprints);
    }

    List<Fingerprint> dnsBlockpages() {
        return weighing(Fingerprint.Weight.BLOCKPAGE, dnsFingerprints);
    }

    List<Fingerprint> vague() {
        List<Fingerprint> all = new ArrayList<>(weighing(Fingerprint.Weight.VAGUE, httpFingerprints));
        all.addAll(weighing(Fingerprint.Weight.VAGUE, dnsFingerprints));
        return all;
    }

    List<Fingerprint> falsePositives() {
        return weighing(Fingerprint.Weight.FALSE_POSITIVE, httpFingerprints);
    }

    static List<String> flags(List<Fingerprint> fingerprints) {
        return fingerprints.stream().map(f -> Verdict.Flag.blockpage(f.name())).distinct().collect(Collectors.toList());
    }

    private static List<Fingerprint> weighing(Fingerprint.Weight weight, List<Fingerprint> list) {
        return list.stream().filter(f -> f.weight() == weight).toList();
    }

    private static void addAll(List<Fingerprint> into, List<Fingerprint> found) {
        for (Fingerprint f : found) {
            if (!into.contains(f)) into.add(f);
        }
    }
}
