package org.blockwatch.core.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.blockwatch.core.archival.PeerCertificate;
import org.blockwatch.core.archival.WebObservation;
import org.blockwatch.core.control.wire.ControlResponse;
import org.blockwatch.core.control.wire.ControlResult;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.ip.Bogons;
import org.blockwatch.core.verdict.Verdict.Method;
import org.blockwatch.core.verdict.Verdict.Status;
import org.blockwatch.sim.CertificateAuthority;
import org.junit.jupiter.api.Test;

/**
 * The verdict after a failed TLS handshake, with the follow-up's handshakes under other names on
 * the same address ({@code x_sni_probes}, {@code follow_up: tls_failure}), at the rules' edges.
 */
class ServerNameVerdictTest {
    private static final Analyzer ANALYZER = Analyzer.standard(Bogons.DEFAULT);
    private static final String IP = "93.184.216.34";
    private static final String ADDRESS = IP + ":443";
    private static final String RANDOM = "qzkvtrwbph.example";
    private static final String SNI = Verdict.Flag.SNI_BLOCKED.label();
    private static final String IPB = Verdict.Flag.IP_BLOCKED.label();

    private static final CertificateAuthority TRUSTED = CertificateAuthority.root("CN=Public Root, O=Somebody");
    private static final CertificateAuthority ROGUE = CertificateAuthority.root("CN=Rogue Inspection CA, O=Censor");
    private static final X509Certificate SITE = TRUSTED.issue("news.example").chain().get(0);
    private static final X509Certificate DEFAULT = TRUSTED.issue("default.example").chain().get(0);
    private static final X509Certificate FORGED_SITE = ROGUE.issue("news.example").chain().get(0);
    private static final X509Certificate FORGED_RANDOM = ROGUE.issue(RANDOM).chain().get(0);
    private static final X509Certificate SELF_SIGNED = CertificateAuthority.root("CN=localhost").certificate();

    private static ControlResult control() {
        return new ControlResult(new ControlResponse(new ControlResponse.Dns(null, List.of(IP)), Map.of(ADDRESS, new ControlResponse.TcpConnect(true, null)),
                Map.of(ADDRESS, new ControlResponse.TlsHandshake("news.example", true, null)),
                Observations.control(200, 1000, "Independent news", Map.of()), Map.of()), null, "http://helper/");
    }

    private static final ControlResult NO_CONTROL = ControlResult.none("generic_timeout_error");

    /** The site's handshake on {@code IP} failed with {@code failure}; the follow-up's three handshakes are added by the caller. */
    private static Observations.Builder failed(String failure) {
        return new Observations.Builder("https://news.example/").resolved(IP).connected(IP, 443, null).handshake(IP, 443, failure)
                .failed(null, failure);
    }

    private static Observations.Builder intercepted(String failure, X509Certificate leaf) {
        return new Observations.Builder("https://news.example/").resolved(IP).connected(IP, 443, null)
                .handshakeWithChain(IP, 443, failure, List.of(der(leaf))).failed(null, failure);
    }

    private static Verdict verdict(WebObservation o, ControlResult c) {
        return ANALYZER.analyze(o, c).verdict();
    }

    @Test
    void aResetOnlyUnderTheSitesNameIsBlockedByName() {
        WebObservation o = failed(Failure.CONNECTION_RESET)
                .nameProbe(IP, 443, RANDOM, null).nameProbe(IP, 443, "", null).nameProbe(IP, 443, "news.example", Failure.CONNECTION_RESET).build();
        Verdict v = verdict(o, control());
        assertThat(v.status()).isEqualTo(Status.BLOCKED);
        assertThat(v.method()).isEqualTo(Method.TLS);
        assertThat(v.flags()).contains(SNI).doesNotContain(IPB);
        assertThat(v.explanation()).contains("server name is the trigger", ADDRESS, "news.example", RANDOM, "no name", "(connection_reset, twice)");
    }

    @Test
    void oneOtherNameThatPassesIsEnoughEvenWithoutAName() {
        // The censor resets any hello carrying a name of the TLD (the random one too); without a name it passes.
        WebObservation o = failed(Failure.GENERIC_TIMEOUT)
                .nameProbe(IP, 443, RANDOM, Failure.GENERIC_TIMEOUT).nameProbe(IP, 443, "", null)
                .nameProbe(IP, 443, "news.example", Failure.GENERIC_TIMEOUT).build();
        Verdict v = verdict(o, control());
        assertThat(v.flags()).contains(SNI);
        assertThat(v.explanation()).contains("completed it with no name", "; it failed with the name " + RANDOM + " (generic_timeout_error)");
    }

    @Test
    void everyNameFailingIsTheAddressNotTheName() {
        WebObservation o = failed(Failure.CONNECTION_RESET)
                .nameProbe(IP, 443, RANDOM, Failure.CONNECTION_RESET).nameProbe(IP, 443, "", Failure.EOF)
                .nameProbe(IP, 443, "news.example", Failure.CONNECTION_RESET).build();
        Verdict v = verdict(o, control());
        assertThat(v.status()).isEqualTo(Status.BLOCKED);
        assertThat(v.method()).isEqualTo(Method.TLS);
        assertThat(v.flags()).contains(IPB).doesNotContain(SNI);
        assertThat(v.explanation()).contains("address is blocked, not the name", ADDRESS, RANDOM + " (connection_reset)", "no name (eof_error)");
        // A connection refused to another name is a failure of that name too.
        WebObservation refused = failed(Failure.CONNECTION_RESET)
                .nameProbe(IP, 443, RANDOM, Failure.CONNECTION_REFUSED).nameProbe(IP, 443, "", Failure.CONNECTION_REFUSED)
                .nameProbe(IP, 443, "news.example", Failure.CONNECTION_REFUSED).build();
        assertThat(verdict(refused, control()).flags()).contains(IPB);
    }

    @Test
    void aRepeatThatPassesKeepsTheDecisionWithoutAFlagAndSaysItIsFlaky() {
        WebObservation o = failed(Failure.CONNECTION_RESET)
                .nameProbe(IP, 443, RANDOM, null).nameProbe(IP, 443, "", null).nameProbe(IP, 443, "news.example", null).build();
        Verdict v = verdict(o, control());
        assertThat(v.status()).isEqualTo(Status.BLOCKED);
        assertThat(v.method()).isEqualTo(Method.TLS);
        assertThat(v.flags()).doesNotContain(SNI, IPB);
        assertThat(v.explanation()).contains("The TLS handshake failed here (connection_reset) while it succeeded at the control.", "flaky",
                "second handshake with the name news.example");
    }

    @Test
    void withoutAFollowUpTheDecisionIsAsBefore() {
        Verdict v = verdict(failed(Failure.CONNECTION_RESET).build(), control());
        assertThat(v.method()).isEqualTo(Method.TLS);
        assertThat(v.flags()).isEmpty();
        assertThat(v.explanation()).isEqualTo("The TLS handshake failed here (connection_reset) while it succeeded at the control.");
    }

    @Test
    void withoutAControlAResetOrStallByNameIsBlockedButTheAddressOrACertificateIsNot() {
        for (String failure : List.of(Failure.CONNECTION_RESET, Failure.EOF, Failure.GENERIC_TIMEOUT)) {
            WebObservation byName = failed(failure)
                    .nameProbe(IP, 443, RANDOM, null).nameProbe(IP, 443, "", null).nameProbe(IP, 443, "news.example", failure).build();
            Verdict v = verdict(byName, NO_CONTROL);
            assertThat(v.status()).as(failure).isEqualTo(Status.BLOCKED);
            assertThat(v.method()).isEqualTo(Method.TLS);
            assertThat(v.flags()).contains(SNI);
            assertThat(v.explanation()).contains("no control was available", "server name is the trigger", ADDRESS);
        }
        // Every name failing: a site down and an address blocked look alike without a control.
        WebObservation address = failed(Failure.CONNECTION_RESET)
                .nameProbe(IP, 443, RANDOM, Failure.CONNECTION_RESET).nameProbe(IP, 443, "", Failure.CONNECTION_RESET)
                .nameProbe(IP, 443, "news.example", Failure.CONNECTION_RESET).build();
        Verdict v = verdict(address, NO_CONTROL);
        assertThat(v.status()).isEqualTo(Status.INCONCLUSIVE);
        assertThat(v.flags()).isEmpty();
        assertThat(v.explanation()).contains("without a control", "every name");
        // A TLS alert only for its own name can be a server's misconfiguration.
        WebObservation alert = failed(Failure.SSL_FAILED_HANDSHAKE)
                .nameProbe(IP, 443, RANDOM, null).nameProbe(IP, 443, "", null).nameProbe(IP, 443, "news.example", Failure.SSL_FAILED_HANDSHAKE).build();
        assertThat(verdict(alert, NO_CONTROL).status()).isEqualTo(Status.INCONCLUSIVE);
        assertThat(verdict(alert, NO_CONTROL).explanation()).contains("Other names were tried", "completed it with");
        assertThat(verdict(alert, control()).flags()).contains(SNI);
        // So can an expired certificate for its own name while the default one is valid.
        WebObservation expired = intercepted(Failure.SSL_INVALID_CERTIFICATE, SITE)
                .nameProbe(IP, 443, RANDOM, null, Failure.SSL_INVALID_HOSTNAME, sha256(DEFAULT), issuer(DEFAULT))
                .nameProbe(IP, 443, "", null, Failure.SSL_INVALID_HOSTNAME, sha256(DEFAULT), issuer(DEFAULT))
                .nameProbe(IP, 443, "news.example", null, Failure.SSL_INVALID_CERTIFICATE, sha256(SITE), issuer(SITE)).build();
        assertThat(verdict(expired, NO_CONTROL).status()).isEqualTo(Status.INCONCLUSIVE);
        assertThat(verdict(expired, NO_CONTROL).flags()).isEmpty();
        assertThat(verdict(expired, control()).flags()).contains(SNI);
        // A repeat that passes leaves it inconclusive, and says so.
        WebObservation flaky = failed(Failure.CONNECTION_RESET)
                .nameProbe(IP, 443, RANDOM, null).nameProbe(IP, 443, "", null).nameProbe(IP, 443, "news.example", null).build();
        assertThat(verdict(flaky, NO_CONTROL).status()).isEqualTo(Status.INCONCLUSIVE);
        assertThat(verdict(flaky, NO_CONTROL).explanation()).contains("flaky");
    }

    @Test
    void aControlThatFailsTooIsStillDownWhateverTheNames() {
        WebObservation o = failed(Failure.CONNECTION_RESET)
                .nameProbe(IP, 443, RANDOM, null).nameProbe(IP, 443, "", null).nameProbe(IP, 443, "news.example", Failure.CONNECTION_RESET).build();
        ControlResult down = new ControlResult(new ControlResponse(new ControlResponse.Dns(null, List.of(IP)),
                Map.of(ADDRESS, new ControlResponse.TcpConnect(true, null)),
                Map.of(ADDRESS, new ControlResponse.TlsHandshake("news.example", false, Failure.CONNECTION_RESET)),
                new ControlResponse.HttpRequest(-1, Failure.CONNECTION_RESET, "", Map.of(), -1), Map.of()), null, "http://helper/");
        Verdict v = verdict(o, down);
        assertThat(v.status()).isEqualTo(Status.DOWN);
        assertThat(v.flags()).doesNotContain(SNI, IPB);
        assertThat(v.explanation()).contains("at the control", "Other names were tried", "completed it with the name " + RANDOM)
                .doesNotContain("trigger");
    }

    @Test
    void interceptionOnlyUnderTheSitesNameIsInterceptionByName() {
        // The other names reach the real server: its own chain, to a trusted root, valid for other names than the random one.
        WebObservation o = intercepted(Failure.SSL_UNKNOWN_AUTHORITY, FORGED_SITE)
                .nameProbe(IP, 443, RANDOM, null, Failure.SSL_INVALID_HOSTNAME, sha256(SITE), issuer(SITE))
                .nameProbe(IP, 443, "", null, Failure.SSL_INVALID_HOSTNAME, sha256(SITE), issuer(SITE))
                .nameProbe(IP, 443, "news.example", null, Failure.SSL_UNKNOWN_AUTHORITY, sha256(FORGED_SITE), issuer(FORGED_SITE)).build();
        Verdict v = verdict(o, control());
        assertThat(v.status()).isEqualTo(Status.BLOCKED);
        assertThat(v.method()).isEqualTo(Method.TLS);
        assertThat(v.flags()).contains("tls_mitm", SNI).doesNotContain(IPB);
        assertThat(v.explanation()).contains("intercepted", "server name is the trigger", "trusted root", RANDOM, ADDRESS);
        // Without a control a certificate alone proves nothing here.
        assertThat(verdict(o, NO_CONTROL).status()).isEqualTo(Status.INCONCLUSIVE);
    }

    @Test
    void interceptionOfEveryNameIsInterceptionOfTheAddress() {
        // The interceptor forges a chain for whatever name it sees, from the same root; without a name it sends the site's.
        WebObservation o = intercepted(Failure.SSL_UNKNOWN_AUTHORITY, FORGED_SITE)
                .nameProbe(IP, 443, RANDOM, null, Failure.SSL_UNKNOWN_AUTHORITY, sha256(FORGED_RANDOM), issuer(FORGED_RANDOM))
                .nameProbe(IP, 443, "", null, Failure.SSL_UNKNOWN_AUTHORITY, sha256(FORGED_SITE), issuer(FORGED_SITE))
                .nameProbe(IP, 443, "news.example", null, Failure.SSL_UNKNOWN_AUTHORITY, sha256(FORGED_SITE), issuer(FORGED_SITE)).build();
        Verdict v = verdict(o, control());
        assertThat(v.flags()).contains("tls_mitm", IPB).doesNotContain(SNI);
        assertThat(v.explanation()).contains("address is intercepted whatever the name", "same certificate or one from the same root");

        // Only the connection without a name passes through to the real server: a random name is still intercepted, so not by name.
        WebObservation namedOnly = intercepted(Failure.SSL_UNKNOWN_AUTHORITY, FORGED_SITE)
                .nameProbe(IP, 443, RANDOM, null, Failure.SSL_UNKNOWN_AUTHORITY, sha256(FORGED_RANDOM), issuer(FORGED_RANDOM))
                .nameProbe(IP, 443, "", null, Failure.SSL_INVALID_HOSTNAME, sha256(SITE), issuer(SITE))
                .nameProbe(IP, 443, "news.example", null, Failure.SSL_UNKNOWN_AUTHORITY, sha256(FORGED_SITE), issuer(FORGED_SITE)).build();
        assertThat(verdict(namedOnly, control()).flags()).contains(IPB).doesNotContain(SNI);
    }

    @Test
    void otherUntrustedChainsTellNothing() {
        // The real server's default name has a self-signed certificate: no other name got a trusted chain, nor the site's.
        WebObservation o = intercepted(Failure.SSL_UNKNOWN_AUTHORITY, FORGED_SITE)
                .nameProbe(IP, 443, RANDOM, null, Failure.SSL_UNKNOWN_AUTHORITY, sha256(SELF_SIGNED), issuer(SELF_SIGNED))
                .nameProbe(IP, 443, "", null, Failure.SSL_UNKNOWN_AUTHORITY, sha256(SELF_SIGNED), issuer(SELF_SIGNED))
                .nameProbe(IP, 443, "news.example", null, Failure.SSL_UNKNOWN_AUTHORITY, sha256(FORGED_SITE), issuer(FORGED_SITE)).build();
        Verdict v = verdict(o, control());
        assertThat(v.flags()).contains("tls_mitm").doesNotContain(SNI, IPB);
        assertThat(v.explanation()).contains("tell nothing");
    }

    @Test
    void aWrongCertificateOnlyForTheSitesNameIsByNameAndTheSameOneForEveryNameIsTheAddress() {
        // The censor's server answers the site's name with a valid certificate of its own.
        X509Certificate censors = TRUSTED.issue("blocked.isp.example").chain().get(0);
        WebObservation byName = intercepted(Failure.SSL_INVALID_HOSTNAME, censors)
                .nameProbe(IP, 443, RANDOM, null, Failure.SSL_INVALID_HOSTNAME, sha256(SITE), issuer(SITE))
                .nameProbe(IP, 443, "", null, Failure.SSL_INVALID_HOSTNAME, sha256(SITE), issuer(SITE))
                .nameProbe(IP, 443, "news.example", null, Failure.SSL_INVALID_HOSTNAME, sha256(censors), issuer(censors)).build();
        Verdict v = verdict(byName, control());
        assertThat(v.method()).isEqualTo(Method.TLS);
        assertThat(v.flags()).contains(SNI).doesNotContain(IPB, "tls_mitm");
        // The same trusted root for every name is no interception of the address: only the same certificate is.
        WebObservation address = intercepted(Failure.SSL_INVALID_HOSTNAME, censors)
                .nameProbe(IP, 443, RANDOM, null, Failure.SSL_INVALID_HOSTNAME, sha256(censors), issuer(censors))
                .nameProbe(IP, 443, "", null, Failure.SSL_INVALID_HOSTNAME, sha256(censors), issuer(censors))
                .nameProbe(IP, 443, "news.example", null, Failure.SSL_INVALID_HOSTNAME, sha256(censors), issuer(censors)).build();
        assertThat(verdict(address, control()).flags()).contains(IPB).doesNotContain(SNI);
        // A valid chain for the site's name the second time: flaky.
        WebObservation flaky = intercepted(Failure.SSL_INVALID_HOSTNAME, censors)
                .nameProbe(IP, 443, RANDOM, null, Failure.SSL_INVALID_HOSTNAME, sha256(SITE), issuer(SITE))
                .nameProbe(IP, 443, "", null, Failure.SSL_INVALID_HOSTNAME, sha256(SITE), issuer(SITE))
                .nameProbe(IP, 443, "news.example", null, null, sha256(SITE), issuer(SITE)).build();
        assertThat(verdict(flaky, control()).flags()).doesNotContain(SNI, IPB);
        assertThat(verdict(flaky, control()).explanation()).contains("flaky");
    }

    @Test
    void aGovernmentRootOnlyForTheSitesNameSaysSo() {
        CertificateAuthority qaznet = CertificateAuthority.root("CN=Qaznet Trust Network, C=KZ");
        X509Certificate forged = qaznet.issue("news.example").chain().get(0);
        WebObservation o = new Observations.Builder("https://news.example/").resolved(IP).connected(IP, 443, null)
                .handshakeWithChain(IP, 443, Failure.SSL_UNKNOWN_AUTHORITY, List.of(der(forged), der(qaznet.certificate())))
                .failed(null, Failure.SSL_UNKNOWN_AUTHORITY)
                .nameProbe(IP, 443, RANDOM, null, Failure.SSL_INVALID_HOSTNAME, sha256(SITE), issuer(SITE))
                .nameProbe(IP, 443, "", null, Failure.SSL_INVALID_HOSTNAME, sha256(SITE), issuer(SITE))
                .nameProbe(IP, 443, "news.example", null, Failure.SSL_UNKNOWN_AUTHORITY, sha256(forged), issuer(qaznet.certificate())).build();
        for (ControlResult c : List.of(control(), NO_CONTROL)) {
            Verdict v = verdict(o, c);
            assertThat(v.method()).isEqualTo(Method.TLS);
            assertThat(v.flags()).contains("tls_mitm", "tls_mitm_government_root", SNI);
            assertThat(v.explanation()).contains("government interception root", "server name is the trigger");
        }
    }

    @Test
    void provenByNameTheBlockIsTlsEvenWhereDnsWasInconsistent() {
        // The control resolved the site elsewhere (a CDN, say) and could not check this address.
        ControlResult elsewhere = new ControlResult(new ControlResponse(new ControlResponse.Dns(null, List.of("151.101.1.1")),
                Map.of("151.101.1.1:443", new ControlResponse.TcpConnect(true, null)),
                Map.of("151.101.1.1:443", new ControlResponse.TlsHandshake("news.example", true, null)),
                Observations.control(200, 1000, "Independent news", Map.of()), Map.of()), null, "http://helper/");
        WebObservation byName = failed(Failure.CONNECTION_RESET)
                .nameProbe(IP, 443, RANDOM, null).nameProbe(IP, 443, "", null).nameProbe(IP, 443, "news.example", Failure.CONNECTION_RESET).build();
        Analysis a = ANALYZER.analyze(byName, elsewhere);
        assertThat(a.dnsConsistency()).isEqualTo("inconsistent");
        assertThat(a.verdict().method()).isEqualTo(Method.TLS);
        assertThat(a.verdict().flags()).contains(SNI);
        // Every name failing on an address only this resolver gives is DNS's doing, as before.
        WebObservation address = failed(Failure.CONNECTION_RESET)
                .nameProbe(IP, 443, RANDOM, Failure.CONNECTION_RESET).nameProbe(IP, 443, "", Failure.CONNECTION_RESET)
                .nameProbe(IP, 443, "news.example", Failure.CONNECTION_RESET).build();
        Verdict v = verdict(address, elsewhere);
        assertThat(v.method()).isEqualTo(Method.DNS);
        assertThat(v.flags()).contains(IPB);
    }

    @Test
    void aStalledSecondHandshakeAfterARedirectIsABlockByNameNotThrottling() {
        // http://news.example/ redirected to https://news.example/, whose handshake stalled: the follow-up's stall under the
        // site's name (4 s) must not read as a slow handshake next to fast ones.
        WebObservation o = new Observations.Builder("http://news.example/").resolved(IP).connected(IP, 80, null)
                .fetched(Observations.response(301, "", null, List.of(List.of("Location", "https://news.example/"))), null)
                .connected(IP, 443, null).handshake(IP, 443, Failure.GENERIC_TIMEOUT)
                .nameProbe(IP, 443, RANDOM, null).nameProbe(IP, 443, "", null).nameProbe(IP, 443, "news.example", Failure.GENERIC_TIMEOUT)
                .failed(null, Failure.GENERIC_TIMEOUT).build();
        Verdict v = verdict(o, control());
        assertThat(v.method()).isEqualTo(Method.TLS);
        assertThat(v.flags()).contains(SNI).doesNotContain("throttled");
    }

    private static PeerCertificate der(X509Certificate c) {
        try {
            return PeerCertificate.of(c.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(X509Certificate c) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String issuer(X509Certificate c) {
        return c.getIssuerX500Principal().getName();
    }
}
