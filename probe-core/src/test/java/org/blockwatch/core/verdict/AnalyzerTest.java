package org.blockwatch.core.verdict;

import org.blockwatch.core.verdict.Verdict.Method;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.blockwatch.core.archival.WebObservation;
import org.blockwatch.core.control.wire.ControlResponse;
import org.blockwatch.core.control.wire.ControlResult;
import org.blockwatch.core.ip.Bogons;
import org.blockwatch.core.verdict.Verdict.Status;
import org.junit.jupiter.api.Test;

/** The analysis' rules at their edges, on hand-made observations. */
class AnalyzerTest {
    private static final Analyzer ANALYZER = Analyzer.standard(Bogons.DEFAULT);
    private static final String PAGE = "<html><head><title>Independent news</title></head><body>" + "news ".repeat(200) + "</body></html>";

    private static ControlResult control(ControlResponse r) {
        return new ControlResult(r, null, "http://helper/");
    }

    @Test
    void anHttpsSuccessWithAnEqualControlIsAccessible() {
        WebObservation o = new Observations.Builder("https://news.example/").resolved("93.184.216.34")
                .connected("93.184.216.34", 443, null).handshake("93.184.216.34", 443, null)
                .fetched(Observations.response(200, PAGE, "Independent news", List.of()), null).build();
        Analysis a = ANALYZER.analyze(o, control(Observations.controlResponse(List.of("93.184.216.34"),
                Observations.control(200, PAGE.length(), "Independent news", Map.of()))));
        assertThat(a.verdict().status()).isEqualTo(Status.ACCESSIBLE);
        assertThat(a.verdict().method()).isNull();
        assertThat(a.blocking()).isEqualTo(false);
        assertThat(a.accessible()).isTrue();
        assertThat(a.dnsConsistency()).isEqualTo("consistent");
        assertThat(a.http().bodyLengthMatch()).isTrue();
    }

    @Test
    void aTlsHandshakeThatValidatesAnAddressMakesAnOtherwiseUnknownAddressConsistent() {
        // A CDN answers with another address here than at the control, in another /24.
        WebObservation validated = new Observations.Builder("https://news.example/").resolved("203.0.113.77".replace("203.0.113", "198.51.99"))
                .connected("198.51.99.77", 443, null).handshake("198.51.99.77", 443, null)
                .fetched(Observations.response(200, PAGE, "Independent news", List.of()), null).build();
        ControlResult ctl = control(Observations.controlResponse(List.of("151.101.1.1"), Observations.control(200, PAGE.length(), "Independent news", Map.of())));
        assertThat(ANALYZER.analyze(validated, ctl).dnsConsistency()).isEqualTo("consistent");

        WebObservation unvalidated = new Observations.Builder("http://news.example/").resolved("198.51.99.77")
                .connected("198.51.99.77", 80, null)
                .fetched(Observations.response(200, PAGE, "Independent news", List.of()), null).build();
        assertThat(ANALYZER.analyze(unvalidated, ctl).dnsConsistency()).isEqualTo("inconsistent");
        // Still, the page matches the control's: a site that is up everywhere is never blocked.
        assertThat(ANALYZER.analyze(unvalidated, ctl).verdict().status()).isEqualTo(Status.ACCESSIBLE);
    }

    @Test
    void aControlThatIsNot2xxLeavesADifferentPageInconclusive() {
        WebObservation o = new Observations.Builder("http://news.example/").resolved("93.184.216.34").connected("93.184.216.34", 80, null)
                .fetched(Observations.response(200, "<title>Something else entirely</title>", "Something else entirely", List.of()), null).build();
        Analysis a = ANALYZER.analyze(o, control(Observations.controlResponse(List.of("93.184.216.34"),
                Observations.control(503, 5000, "Just a moment", Map.of()))));
        assertThat(a.http().statusCodeMatch()).isNull();
        assertThat(a.verdict().status()).isEqualTo(Status.INCONCLUSIVE);
    }

    @Test
    void aDifferentStatusIsAnHttpDiff() {
        WebObservation o = new Observations.Builder("http://news.example/").resolved("93.184.216.34").connected("93.184.216.34", 80, null)
                .fetched(Observations.response(403, "<title>Forbidden</title>", "Forbidden", List.of()), null).build();
        Analysis a = ANALYZER.analyze(o, control(Observations.controlResponse(List.of("93.184.216.34"),
                Observations.control(200, PAGE.length(), "Independent news", Map.of()))));
        assertThat(a.verdict().status()).isEqualTo(Status.BLOCKED);
        assertThat(a.verdict().method()).isEqualTo(Method.HTTP_DIFF);
        assertThat(a.blocking()).isEqualTo("http-diff");
        assertThat(a.accessible()).isFalse();
    }

    @Test
    void aKnownFalsePositiveExplainsADifferenceAway() {
        WebObservation o = new Observations.Builder("http://news.example/").resolved("93.184.216.34").connected("93.184.216.34", 80, null)
                .fetched(Observations.response(403, "<title>Attention Required</title> Ray ID: 5f1e", "Attention Required", List.of()), null).build();
        Analysis a = ANALYZER.analyze(o, control(Observations.controlResponse(List.of("93.184.216.34"),
                Observations.control(200, PAGE.length(), "Independent news", Map.of()))));
        assertThat(a.verdict().status()).isEqualTo(Status.INCONCLUSIVE);
    }

    @Test
    void anInjectedNotFoundIsBlockedThoughItsTextIsAKnownFalsePositive() {
        // "Object not found" is on the false-positive list (servers send it), but not with a 404
        // here while the control got the page: that is the answer Uzbekistan's censor injects.
        WebObservation o = new Observations.Builder("http://news.example/").resolved("93.184.216.34").connected("93.184.216.34", 80, null)
                .fetched(Observations.response(404, "<html><head><title>Object not found</title></head><body>Object not found</body></html>",
                        "Object not found", List.of()), null).build();
        Analysis a = ANALYZER.analyze(o, control(Observations.controlResponse(List.of("93.184.216.34"),
                Observations.control(200, PAGE.length(), "Independent news", Map.of()))));
        assertThat(a.verdict().status()).isEqualTo(Status.BLOCKED);
        assertThat(a.verdict().method()).isEqualTo(Method.HTTP_DIFF);

        // The same text with the control's own status is a difference the server made: not blocked.
        WebObservation same = new Observations.Builder("http://news.example/").resolved("93.184.216.34").connected("93.184.216.34", 80, null)
                .fetched(Observations.response(200, "<html><body>Object not found</body></html>", null, List.of()), null).build();
        assertThat(ANALYZER.analyze(same, control(Observations.controlResponse(List.of("93.184.216.34"),
                Observations.control(200, PAGE.length(), "Independent news", Map.of())))).verdict().status()).isEqualTo(Status.INCONCLUSIVE);
    }

    @Test
    void tlsIsItsOwnMethodButOoniFoldsItIntoHttpFailure() {
        WebObservation o = new Observations.Builder("https://news.example/").resolved("93.184.216.34")
                .connected("93.184.216.34", 443, null).handshake("93.184.216.34", 443, "connection_reset")
                .failed(null, "connection_reset").build();
        ControlResponse ctl = new ControlResponse(new ControlResponse.Dns(null, List.of("93.184.216.34")),
                Map.of("93.184.216.34:443", new ControlResponse.TcpConnect(true, null)),
                Map.of("93.184.216.34:443", new ControlResponse.TlsHandshake("news.example", true, null)),
                Observations.control(200, 1000, "Independent news", Map.of()), Map.of());
        Analysis a = ANALYZER.analyze(o, control(ctl));
        assertThat(a.verdict().method()).isEqualTo(Method.TLS);
        assertThat(a.blocking()).isEqualTo("http-failure");
    }

    @Test
    void aFailureAtBothEndsIsDown() {
        WebObservation o = new Observations.Builder("https://gone.example/").resolved().failed("dns_nxdomain_error", "dns_nxdomain_error").build();
        ControlResponse ctl = new ControlResponse(new ControlResponse.Dns("dns_nxdomain_error", List.of()), Map.of(), Map.of(),
                new ControlResponse.HttpRequest(-1, "dns_nxdomain_error", "", Map.of(), -1), Map.of());
        Analysis a = ANALYZER.analyze(o, control(ctl));
        assertThat(a.verdict().status()).isEqualTo(Status.DOWN);
        assertThat(a.dnsConsistency()).isEqualTo("consistent");
        assertThat(a.accessible()).isFalse();
        assertThat(a.blocking()).isEqualTo(false);
    }

    @Test
    void withoutControlOnlyHttpsOrASignatureDecides() {
        WebObservation https = new Observations.Builder("https://news.example/").resolved("93.184.216.34")
                .connected("93.184.216.34", 443, null).handshake("93.184.216.34", 443, null)
                .fetched(Observations.response(200, PAGE, "Independent news", List.of()), null).build();
        assertThat(ANALYZER.analyze(https, ControlResult.none("generic_timeout_error")).verdict().status()).isEqualTo(Status.ACCESSIBLE);
        WebObservation http = new Observations.Builder("http://news.example/").resolved("93.184.216.34").connected("93.184.216.34", 80, null)
                .fetched(Observations.response(200, PAGE, "Independent news", List.of()), null).build();
        assertThat(ANALYZER.analyze(http, ControlResult.none("generic_timeout_error")).verdict().status()).isEqualTo(Status.INCONCLUSIVE);
        WebObservation blockpage = new Observations.Builder("http://news.example/").resolved("93.184.216.34").connected("93.184.216.34", 80, null)
                .fetched(Observations.response(200, "<p class=\"error\">Access to the requested website has been blocked by judicial decision!</p>",
                        null, List.of()), null).build();
        Verdict v = ANALYZER.analyze(blockpage, ControlResult.none("generic_timeout_error")).verdict();
        assertThat(v.status()).isEqualTo(Status.BLOCKED);
        assertThat(v.method()).isEqualTo(Method.HTTP_DIFF);
        assertThat(v.flags()).contains("blockpage:cp.c_isp_kg_elcat");
    }

    @Test
    void aBogonTheControlResolvedTooIsTheSitesOwnNotACensorsLie() {
        // A lab whose "public" sites sit in 203.0.113.0/24 (a documentation range, so a bogon), and a TLS reset on the path.
        WebObservation o = new Observations.Builder("https://news.example/").resolved("203.0.113.10")
                .connected("203.0.113.10", 443, null).handshake("203.0.113.10", 443, "connection_reset").failed(null, "connection_reset").build();
        ControlResponse ctl = new ControlResponse(new ControlResponse.Dns(null, List.of("203.0.113.10")),
                Map.of("203.0.113.10:443", new ControlResponse.TcpConnect(true, null)),
                Map.of("203.0.113.10:443", new ControlResponse.TlsHandshake("news.example", true, null)),
                Observations.control(200, 1000, "Independent news", Map.of()), Map.of());
        Analysis a = ANALYZER.analyze(o, control(ctl));
        assertThat(a.dnsConsistency()).isEqualTo("consistent");
        assertThat(a.verdict().method()).isEqualTo(Method.TLS);
        assertThat(a.verdict().flags()).doesNotContain("dns_bogon");
    }

    @Test
    void aSlowTlsHandshakeIsFlaggedAsThrottlingWithoutChangingTheStatus() {
        WebObservation slow = new Observations.Builder("https://news.example/").resolved("93.184.216.34")
                .connected("93.184.216.34", 443, null).handshakeTaking("93.184.216.34", 443, 4.2)
                .fetched(Observations.response(200, PAGE, "Independent news", List.of()), null).build();
        ControlResult ctl = control(Observations.controlResponse(List.of("93.184.216.34"), Observations.control(200, PAGE.length(), "Independent news", Map.of())));
        Verdict v = ANALYZER.analyze(slow, ctl).verdict();
        assertThat(v.status()).isEqualTo(Status.ACCESSIBLE);
        assertThat(v.flags()).contains("throttled");
        assertThat(v.explanation()).contains("TLS handshake 4.2 s");
        WebObservation fast = new Observations.Builder("https://news.example/").resolved("93.184.216.34")
                .connected("93.184.216.34", 443, null).handshakeTaking("93.184.216.34", 443, 0.2)
                .fetched(Observations.response(200, PAGE, "Independent news", List.of()), null).build();
        assertThat(ANALYZER.analyze(fast, ctl).verdict().flags()).doesNotContain("throttled");
    }

    @Test
    void aLoopbackAnswerIsABogonUnlessDeclaredPublic() {
        WebObservation o = new Observations.Builder("http://news.example/").resolved("127.0.0.1").connected("127.0.0.1", 80, null)
                .fetched(Observations.response(200, PAGE, "Independent news", List.of()), null).build();
        ControlResult ctl = control(Observations.controlResponse(List.of("93.184.216.34"), Observations.control(200, PAGE.length(), "Independent news", Map.of())));
        Verdict v = ANALYZER.analyze(o, ctl).verdict();
        assertThat(v.method()).isEqualTo(Method.DNS);
        assertThat(v.flags()).contains("dns_bogon");
        Analyzer lab = Analyzer.standard(new Bogons(List.of(org.blockwatch.core.ip.AddressRange.parse("127.0.0.0/8"))));
        assertThat(lab.analyze(o, ctl).verdict().flags()).doesNotContain("dns_bogon");
    }
}
