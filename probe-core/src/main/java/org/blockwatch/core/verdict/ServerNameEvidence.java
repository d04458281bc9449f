package org.blockwatch.core.verdict;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.blockwatch.core.archival.PeerCertificate;
import org.blockwatch.core.archival.SniProbe;
import org.blockwatch.core.archival.TlsHandshake;
import org.blockwatch.core.archival.WebObservation;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.ip.Endpoint;

/**
 * What the handshakes made after the site's own handshake failed ({@code x_sni_probes} with
 * {@code follow_up} {@code tls_failure}: on the same address, a random name of the same TLD, no
 * name, and the site's name again) say about the server name, as OONI's {@code sni_blocking}
 * compares a target name with a control name on one server.
 *
 * <p>A failure of the handshake itself (a reset, an EOF, a stall, an alert): the site's name fails
 * twice (the first handshake and the repeat) while another name, random or none, completes the
 * handshake: the name is the trigger ({@link Finding#NAME}). Every name fails: the address
 * ({@link Finding#ADDRESS}); a censor that blocks an address for a while once it has seen the
 * name (residual blocking) looks the same, since the first handshake had already shown it the
 * name. The repeat under the site's name completes: the failure did not repeat ({@link Finding#FLAKY}).
 *
 * <p>A certificate that does not fit (an unknown root, another name's certificate, an expired or
 * otherwise invalid one): a chain is what the comparison is about. The site's name gets a chain
 * that does not validate, twice (the repeat's a chain that validates is {@link Finding#FLAKY}).
 * Another name gets a chain to a trusted root (valid, or valid for other names only, as a random
 * name gets from any real server) that is not the site's, and the random name does not get the
 * site's chain (its certificate, or, after an unknown root, an untrusted one claiming that root): interception by name
 * ({@link Finding#NAME}). Some other name gets the site's chain, and either no other name gets a
 * trusted one or the random name is among those that got the site's: the whole address is
 * intercepted ({@link Finding#ADDRESS}): an interceptor that forges a chain for any name it sees
 * (some pass a hello without a name through), or a server of the censor's own. The random name
 * is the telling one: an interceptor by name leaves it alone. Otherwise the other chains (a
 * server's self-signed default, say) or failures tell nothing ({@link Finding#UNCLEAR}).
 *
 * @param finding what the comparison shows
 * @param address the address compared ({@code ip:port})
 * @param siteName the site's name
 * @param failure the failure of the site's own handshake on the address
 * @param description the handshakes in words, for a verdict's explanation (a clause, no full stop)
 */
record ServerNameEvidence(Finding finding, String address, String siteName, String failure, String description) {

    enum Finding {
        /** Another name passes on the address where the site's name fails twice: the name is the trigger. */
        NAME,
        /** Every name fails on the address (for certificates: the site's chain reaches other names too): the address. */
        ADDRESS,
        /** The site's name passed the second time: the failure did not repeat. */
        FLAKY,
        /** The other names' outcomes prove neither. */
        UNCLEAR
    }

    private static final Set<String> CERTIFICATE_FAILURES =
            Set.of(Failure.SSL_UNKNOWN_AUTHORITY, Failure.SSL_INVALID_HOSTNAME, Failure.SSL_INVALID_CERTIFICATE);

    /**
     * The evidence of the follow-up made on one of {@code endpoints} (the stopped hop's), or null
     * when none was made there: the usual case, a handshake that worked.
     */
    static ServerNameEvidence of(WebObservation o, List<String> endpoints) {
        List<SniProbe> probes = new ArrayList<>();
        for (SniProbe p : o.sniProbes()) {
            if (!SniProbe.TLS_FAILURE.equals(p.followUp()) || endpoints.stream().noneMatch(e -> sameEndpoint(e, p.address()))) continue;
            if (!probes.isEmpty() && !sameEndpoint(probes.get(0).address(), p.address())) continue; // one address per measurement
            probes.add(p);
        }
        if (probes.isEmpty()) return null;
        String address = probes.get(0).address();
        TlsHandshake first = o.tlsHandshakes().stream()
                .filter(h -> h.failure() != null && !h.serverName().isEmpty() && sameEndpoint(h.address(), address)
                        && probes.stream().anyMatch(p -> p.serverName().equalsIgnoreCase(h.serverName())))
                .findFirst().orElse(null);
        if (first == null) return null; // probes without the handshake they follow: nothing to compare them with
        SniProbe repeat = null;
        List<SniProbe> others = new ArrayList<>();
        for (SniProbe p : probes) {
            if (repeat == null && p.serverName().equalsIgnoreCase(first.serverName())) repeat = p;
            else others.add(p);
        }
        if (others.isEmpty()) {
            return new ServerNameEvidence(Finding.UNCLEAR, address, first.serverName(), first.failure(), "no other name was tried on " + address);
        }
        return CERTIFICATE_FAILURES.contains(first.failure())
                ? certificates(address, first, repeat, others)
                : handshakes(address, first, repeat, others);
    }

    /** The handshake itself failed under the site's name: did it under the others? */
    private static ServerNameEvidence handshakes(String address, TlsHandshake first, SniProbe repeat, List<SniProbe> others) {
        String site = first.serverName();
        if (repeat.failure() == null) {
            return new ServerNameEvidence(Finding.FLAKY, address, site, first.failure(), "a second handshake with the name " + site + " on " + address
                    + " completed: the failure (" + first.failure() + ") did not repeat, so it may be flaky");
        }
        List<SniProbe> passed = others.stream().filter(p -> p.failure() == null).toList();
        if (!passed.isEmpty()) {
            String twice = first.failure().equals(repeat.failure()) ? first.failure() + ", twice" : first.failure() + ", then " + repeat.failure();
            return new ServerNameEvidence(Finding.NAME, address, site, first.failure(), "on " + address + " the handshake with the name " + site + " failed ("
                    + twice + ") while the same address completed it with "
                    + names(passed) + failedToo(others));
        }
        List<String> each = new ArrayList<>();
        each.add("the name " + site + " (" + first.failure() + (first.failure().equals(repeat.failure()) ? ", twice" : ", then " + repeat.failure()) + ")");
        for (SniProbe p : others) each.add(name(p) + " (" + p.failure() + ")");
        return new ServerNameEvidence(Finding.ADDRESS, address, site, first.failure(), "on " + address + " the handshake failed with every name: " + list(each)
                + "; a censor that blocks an address for a while once it has seen the name looks the same");
    }

    /** The site's name got a chain that does not fit: what did the others get? */
    private static ServerNameEvidence certificates(String address, TlsHandshake first, SniProbe repeat, List<SniProbe> others) {
        String site = first.serverName();
        if (repeat.failure() == null && repeat.gotChain() && repeat.certificateFailure() == null) {
            return new ServerNameEvidence(Finding.FLAKY, address, site, first.failure(), "a second handshake with the name " + site + " on " + address
                    + " got a valid chain: the failure (" + first.failure() + ") did not repeat, so it may be flaky");
        }
        Set<String> siteLeaves = new java.util.HashSet<>();
        Set<String> siteIssuers = new java.util.HashSet<>();
        if (!first.peerCertificates().isEmpty()) {
            List<PeerCertificate> chain = first.peerCertificates();
            siteLeaves.add(sha256(chain.get(0)));
            siteIssuers.add(issuer(chain.get(chain.size() - 1)));
        }
        if (repeat.gotChain()) {
            siteLeaves.add(repeat.leafSha256());
            siteIssuers.add(repeat.chainIssuer());
        }
        siteIssuers.remove("");
        // Only an unknown root marks an interceptor's chains; a public root is shared by half the web.
        if (!Failure.SSL_UNKNOWN_AUTHORITY.equals(first.failure())) siteIssuers.clear();
        List<SniProbe> trusted = new ArrayList<>();
        List<SniProbe> sameAsSite = new ArrayList<>();
        for (SniProbe p : others) {
            if (!p.gotChain()) continue;
            // The same interceptor: the site's certificate, or an untrusted chain claiming the site's chain's root.
            if (siteLeaves.contains(p.leafSha256()) || !trustedChain(p) && siteIssuers.contains(p.chainIssuer())) sameAsSite.add(p);
            else if (trustedChain(p)) trusted.add(p);
        }
        String siteChain = "the name " + site + " got a chain that does not validate (" + first.failure()
                + (repeat.certificateFailure() != null ? ", and again on a second handshake" : ", then " + repeat.failure()) + ")";
        // A random name is the telling one: an interceptor by name leaves it alone, one of the whole address takes it too.
        boolean randomIntercepted = sameAsSite.stream().anyMatch(p -> !p.serverName().isEmpty());
        if (!randomIntercepted && !trusted.isEmpty()) {
            return new ServerNameEvidence(Finding.NAME, address, site, first.failure(), "on " + address + " " + siteChain + ", while " + names(trusted)
                    + " got another chain, to a trusted root" + (sameAsSite.isEmpty() ? "" : " (" + names(sameAsSite) + " got the site's)")
                    + failedToo(others));
        }
        if (!sameAsSite.isEmpty()) {
            return new ServerNameEvidence(Finding.ADDRESS, address, site, first.failure(), "on " + address + " " + siteChain + ", and " + names(sameAsSite)
                    + " got the same certificate or one from the same root" + (trusted.isEmpty() ? "" : " (" + names(trusted) + " got a trusted chain)"));
        }
        List<String> each = new ArrayList<>();
        for (SniProbe p : others) each.add(name(p) + " (" + outcome(p) + ")");
        return new ServerNameEvidence(Finding.UNCLEAR, address, site, first.failure(), "on " + address + " " + siteChain + "; the other names tell nothing: " + list(each));
    }

    /** A chain to one of the probe's roots, for the name sent or for other names: what any real server gives a random name. */
    private static boolean trustedChain(SniProbe p) {
        return p.failure() == null && (p.certificateFailure() == null || Failure.SSL_INVALID_HOSTNAME.equals(p.certificateFailure()));
    }

    private static String outcome(SniProbe p) {
        if (!p.gotChain()) return p.failure() == null ? "no chain" : p.failure();
        return p.certificateFailure() == null ? "a valid chain" : "a chain that does not validate, " + p.certificateFailure();
    }

    /** "; it failed with no name (connection_reset)" for the names that failed among {@code others}, or "". */
    private static String failedToo(List<SniProbe> others) {
        List<String> failed = others.stream().filter(p -> p.failure() != null).map(p -> name(p) + " (" + p.failure() + ")").toList();
        return failed.isEmpty() ? "" : "; it failed with " + list(failed);
    }

    /** The conclusion a block draws from a {@link Finding#NAME} or {@link Finding#ADDRESS} finding, as a sentence's start. */
    String conclusion() {
        return switch (finding) {
            case NAME -> "The server name is the trigger";
            case ADDRESS -> Failure.SSL_UNKNOWN_AUTHORITY.equals(failure) ? "The address is intercepted whatever the name, not the name alone"
                    : "The address is blocked, not the name";
            case FLAKY, UNCLEAR -> "Other names were tried";
        };
    }

    private static String name(SniProbe p) {
        return p.serverName().isEmpty() ? "no name" : "the name " + p.serverName();
    }

    private static String names(List<SniProbe> probes) {
        return list(probes.stream().map(ServerNameEvidence::name).toList());
    }

    private static String list(List<String> items) {
        if (items.size() <= 1) return String.join("", items);
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }

    private static boolean sameEndpoint(String a, String b) {
        if (a.equals(b)) return true;
        var x = Endpoint.parse(a);
        return x.isPresent() && x.equals(Endpoint.parse(b));
    }

    private static String sha256(PeerCertificate c) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.der()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK offers no SHA-256", e);
        }
    }

    private static String issuer(PeerCertificate c) {
        try {
            var x509 = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(c.der()));
            return x509.getIssuerX500Principal().getName();
        } catch (java.security.cert.CertificateException | RuntimeException e) {
            return ""; // a chain that does not parse names no root
        }
    }

    ServerNameEvidence {
        Objects.requireNonNull(finding);
    }
}
