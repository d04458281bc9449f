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

    private static final String BLOCKPAGE = "<html><body><p class=\"error\">Access to the requested website has been blocked by judicial decision!</p></body></html>";

    private static WebObservation plainFetch(Object response, String failure) {
        return new Observations.Builder("http://news.example/").resolved("93.184.216.34").connected("93.184.216.34", 80, null)
                .fetched((org.blockwatch.core.archival.HttpTransaction.Response) response, failure).build();
    }

    private static ControlResult controlPage(long length, String title, Map<String, String> headers) {
        return control(Observations.controlResponse(List.of("93.184.216.34"), Observations.control(200, length, title, headers)));
    }

    @Test
    void aKnownBlockpageDecidesThoughItSharesTheSitesHeaderNames() {
        List<List<String>> shared = List.of(List.of("X-Site-Id", "1"), List.of("Content-Type", "text/html"));
        Analysis a = ANALYZER.analyze(plainFetch(Observations.response(200, BLOCKPAGE, null, shared), null),
                controlPage(6000, "Independent news", Map.of("X-Site-Id", "1", "Content-Type", "text/html")));
        assertThat(a.http().headersMatch()).isTrue();
        assertThat(a.verdict().status()).isEqualTo(Status.BLOCKED);
        assertThat(a.verdict().method()).isEqualTo(Method.HTTP_DIFF);
        assertThat(a.verdict().flags()).contains("blockpage:cp.c_isp_kg_elcat");
    }

    @Test
    void aPageThatQuotesABlockpageIsTheSitesOwnWhenItIsAsLongAsTheControls() {
        // A news story that quotes the censor's text: the control gets the same page.
        String story = "<html><head><title>Independent news</title></head><body>" + BLOCKPAGE + "news ".repeat(200) + "</body></html>";
        Analysis a = ANALYZER.analyze(plainFetch(Observations.response(200, story, "Independent news", List.of()), null),
                controlPage(story.length(), "Independent news", Map.of()));
        assertThat(a.verdict().status()).isEqualTo(Status.ACCESSIBLE);
    }

    @Test
    void identicalPagesOverTheBodyLimitWithNothingToCompareAreNeverBlocked() {
        String prefix = "<html><head><title>News</title></head><body>" + "x".repeat(60_000);
        // No declared length, a short title, only common headers: no evidence either way.
        Analysis none = ANALYZER.analyze(plainFetch(Observations.truncated(200, prefix, "News", List.of(List.of("Content-Type", "text/html"))), null),
                controlPage(200_000, "News", Map.of("Content-Type", "text/html")));
        assertThat(none.http().bodyLengthMatch()).isNull();
        assertThat(none.verdict().status()).isEqualTo(Status.INCONCLUSIVE);

        // The length the server declared stands for the page's: the same as the control's, accessible.
        Analysis declared = ANALYZER.analyze(plainFetch(Observations.truncated(200, prefix, "News",
                List.of(List.of("Content-Length", "200000"))), null), controlPage(200_000, "News", Map.of()));
        assertThat(declared.http().bodyLengthMatch()).isTrue();
        assertThat(declared.verdict().status()).isEqualTo(Status.ACCESSIBLE);

        // The control read less than its server declared (its own limit): the declared length counts there too.
        Analysis bothCut = ANALYZER.analyze(plainFetch(Observations.truncated(200, prefix, "News",
                List.of(List.of("Content-Length", "3000000"))), null), controlPage(2_097_152, "News", Map.of("Content-Length", "3000000")));
        assertThat(bothCut.http().bodyLengthMatch()).isTrue();

        // A declared length far from the control's page is a difference.
        Analysis other = ANALYZER.analyze(plainFetch(Observations.truncated(200, prefix, "News",
                List.of(List.of("Content-Length", "900000"))), null), controlPage(200_000, "News", Map.of()));
        assertThat(other.http().bodyLengthMatch()).isFalse();
        assertThat(other.verdict().status()).isEqualTo(Status.BLOCKED);
        assertThat(other.verdict().explanation()).contains("length");

        // More already arrived here than the control's whole page: a difference, without a declared length.
        Analysis longer = ANALYZER.analyze(plainFetch(Observations.truncated(200, prefix, "News", List.of()), null),
                controlPage(10_000, "News", Map.of()));
        assertThat(longer.http().bodyLengthMatch()).isFalse();
    }

    @Test
    void aPageCutShortWhileTheControlFetchedItWholeIsNeverAccessible() {
        String half = PAGE.substring(0, PAGE.length() / 2);
        Analysis cut = ANALYZER.analyze(plainFetch(Observations.response(200, half, "Independent news", List.of()), "generic_timeout_error"),
                controlPage(PAGE.length(), "Independent news", Map.of()));
        assertThat(cut.http().titleMatch()).isTrue();
        assertThat(cut.verdict().status()).isEqualTo(Status.BLOCKED);
        assertThat(cut.verdict().method()).isEqualTo(Method.HTTP_FAILURE);
        assertThat(cut.verdict().explanation()).contains("cut short", "generic_timeout_error");

        // The control failed too: the site's own trouble, not a block.
        ControlResult controlFailed = control(Observations.controlResponse(List.of("93.184.216.34"),
                new ControlResponse.HttpRequest(-1, "generic_timeout_error", "", Map.of(), -1)));
        assertThat(ANALYZER.analyze(plainFetch(Observations.response(200, half, "Independent news", List.of()), "generic_timeout_error"),
                controlFailed).verdict().status()).isEqualTo(Status.INCONCLUSIVE);
    }

    private static ControlResult controlOf(String ip) {
        return control(new ControlResponse(new ControlResponse.Dns(null, List.of(ip)), Map.of(ip + ":443", new ControlResponse.TcpConnect(true, null)),
                Map.of(ip + ":443", new ControlResponse.TlsHandshake("news.example", true, null)),
                Observations.control(200, PAGE.length(), "Independent news", Map.of()), Map.of()));
    }

    private static Observations.Builder slowHttps() {
        return new Observations.Builder("https://news.example/").resolved("93.184.216.34").connected("93.184.216.34", 443, null)
                .handshakeTaking("93.184.216.34", 443, 1.8);
    }

    @Test
    void aHandshakeSlowOnlyWithTheSitesNameIsThrottling() {
        WebObservation o = slowHttps()
                .sniProbe("93.184.216.34", 443, "qzkvtrwbph.example", 0.02, 32768, 0.1, null)
                .sniProbe("93.184.216.34", 443, "", 0.03, 32768, 0.1, null)
                .sniProbe("93.184.216.34", 443, "news.example", 1.7, 32768, 0.1, null)
                .fetched(Observations.response(200, PAGE, "Independent news", List.of()), null).build();
        Analysis a = ANALYZER.analyze(o, controlOf("93.184.216.34"));
        assertThat(a.verdict().status()).isEqualTo(Status.BLOCKED);
        assertThat(a.verdict().method()).isEqualTo(Method.THROTTLING);
        assertThat(a.verdict().flags()).contains("throttled");
        assertThat(a.verdict().explanation()).contains("1.70 s", "0.03 s");
        assertThat(a.blocking()).isEqualTo("http-failure");
        // No control needed: the comparison is made on the probe's own line.
        assertThat(ANALYZER.analyze(o, ControlResult.none("generic_timeout_error")).verdict().method()).isEqualTo(Method.THROTTLING);
    }

    @Test
    void aTransferSlowOnlyWithTheSitesNameIsThrottling() {
        // The handshake fits in the shaper's burst; the page does not.
        WebObservation o = slowHttps()
                .sniProbe("93.184.216.34", 443, "qzkvtrwbph.example", 0.02, 32768, 0.05, null)
                .sniProbe("93.184.216.34", 443, "", 0.02, 32768, 0.06, null)
                .sniProbe("93.184.216.34", 443, "news.example", 0.03, 8192, 4.0, null)
                .fetched(Observations.response(200, PAGE, "Independent news", List.of()), "generic_timeout_error").build();
        Analysis a = ANALYZER.analyze(o, controlOf("93.184.216.34"));
        assertThat(a.verdict().method()).isEqualTo(Method.THROTTLING);
        assertThat(a.verdict().explanation()).contains("kbit/s");
    }

    @Test
    void aSlowLineSlowsEveryNameAndIsNotThrottling() {
        // The first handshake of the process was slow (a cold start): the follow-up is fast under every name.
        WebObservation warmed = slowHttps()
                .sniProbe("93.184.216.34", 443, "qzkvtrwbph.example", 0.02, 32768, 0.05, null)
                .sniProbe("93.184.216.34", 443, "", 0.02, 32768, 0.05, null)
                .sniProbe("93.184.216.34", 443, "news.example", 0.02, 32768, 0.05, null)
                .fetched(Observations.response(200, PAGE, "Independent news", List.of()), null).build();
        assertThat(ANALYZER.analyze(warmed, controlOf("93.184.216.34")).verdict().status()).isEqualTo(Status.ACCESSIBLE);

        // Slow under every name: the line.
        WebObservation line = slowHttps()
                .sniProbe("93.184.216.34", 443, "qzkvtrwbph.example", 1.5, 8192, 4.0, null)
                .sniProbe("93.184.216.34", 443, "", 1.6, 8192, 4.0, null)
                .sniProbe("93.184.216.34", 443, "news.example", 1.7, 8192, 4.0, null)
                .fetched(Observations.response(200, PAGE, "Independent news", List.of()), null).build();
        assertThat(ANALYZER.analyze(line, controlOf("93.184.216.34")).verdict().status()).isEqualTo(Status.ACCESSIBLE);

        // The other names got nothing (a reset): no reference, no throttling.
        WebObservation unanswered = slowHttps()
                .sniProbe("93.184.216.34", 443, "qzkvtrwbph.example", 0.01, 0, 0, "connection_reset")
                .sniProbe("93.184.216.34", 443, "news.example", 1.7, 8192, 4.0, null)
                .fetched(Observations.response(200, PAGE, "Independent news", List.of()), null).build();
        assertThat(ANALYZER.analyze(unanswered, controlOf("93.184.216.34")).verdict().status()).isEqualTo(Status.ACCESSIBLE);

        // Just under four times slower is not enough.
        WebObservation close = slowHttps()
                .sniProbe("93.184.216.34", 443, "qzkvtrwbph.example", 0.2, 32768, 0.5, null)
                .sniProbe("93.184.216.34", 443, "news.example", 0.79, 32768, 1.9, null)
                .fetched(Observations.response(200, PAGE, "Independent news", List.of()), null).build();
        assertThat(ANALYZER.analyze(close, controlOf("93.184.216.34")).verdict().status()).isEqualTo(Status.ACCESSIBLE);
    }
}
