package org.blockwatch.core.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.blockwatch.core.archival.DnsAnswer;
import org.blockwatch.core.archival.DnsIntercepted;
import org.blockwatch.core.archival.DnsQuery;
import org.blockwatch.core.archival.InterceptionSignal;
import org.blockwatch.core.archival.ResolverInterception;
import org.blockwatch.core.archival.TcpConnect;
import org.blockwatch.core.archival.TlsHandshake;
import org.blockwatch.core.archival.WebObservation;
import org.blockwatch.core.control.wire.ControlResponse;
import org.blockwatch.core.control.wire.ControlResult;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.ip.Bogons;
import org.blockwatch.core.verdict.Verdict.Flag;
import org.blockwatch.core.verdict.Verdict.Method;
import org.blockwatch.core.verdict.Verdict.Status;
import org.junit.jupiter.api.Test;

/**
 * The path's resolver against an extra, encrypted one (ooni/probe#2857): an encrypted answer that
 * the control confirms turns the path's failure or lie into a DNS block naming both resolvers;
 * it never makes the site accessible, nor the path's answer consistent.
 */
class ExtraResolverVerdictTest {
    private static final Analyzer ANALYZER = Analyzer.standard(Bogons.DEFAULT);
    private static final String DOH = "https://dns.example/dns-query";
    private static final String SITE = "93.184.216.34";
    private static final String PAGE = "<html><head><title>Independent news</title></head><body>" + "news ".repeat(200) + "</body></html>";

    private static ControlResult control() {
        ControlResponse r = new ControlResponse(new ControlResponse.Dns(null, List.of(SITE)),
                Map.of(SITE + ":443", new ControlResponse.TcpConnect(true, null), SITE + ":80", new ControlResponse.TcpConnect(true, null)),
                Map.of(SITE + ":443", new ControlResponse.TlsHandshake("news.example", true, null)),
                Observations.control(200, PAGE.length(), "Independent news", Map.of()), Map.of());
        return new ControlResult(r, null, "http://helper/");
    }

    /** {@code o} with the DoH resolver's answer for its host, and (when {@code validated}) a handshake on it that validated. */
    private static WebObservation withDoh(WebObservation o, boolean validated, String... ips) {
        String host = okhttp3.HttpUrl.get(o.url()).host();
        List<DnsAnswer> answers = new ArrayList<>();
        for (String ip : ips) answers.add(DnsAnswer.a(ip, 300L));
        List<DnsQuery> queries = new ArrayList<>(o.queries());
        queries.add(new DnsQuery("doh", DOH, host, "A", 0, answers, null, 0, 0.05, 20));
        List<TcpConnect> connects = new ArrayList<>(o.tcpConnect());
        List<TlsHandshake> handshakes = new ArrayList<>(o.tlsHandshakes());
        if (validated) {
            for (String ip : ips) {
                connects.add(new TcpConnect(ip, 443, new TcpConnect.Status(true, null, null), 0.06, 0.07, 21));
                handshakes.add(new TlsHandshake("tcp", ip + ":443", host, List.of("h2"), "TLSv1.3", "", "", false, List.of(), null, null,
                        0.07, 0.08, 22));
            }
        }
        return new WebObservation(o.input(), o.url(), o.startTime(), o.runtimeSeconds(), o.resolverAddress(), queries, o.dnsLateReplies(),
                o.dnsExperimentFailure(), connects, handshakes, o.requests(), o.httpExperimentFailure(), o.failedOperation(), o.networkEvents(),
                o.sniProbes(), o.dnsIntercepted());
    }

    private static WebObservation nxdomain(String url) {
        return new Observations.Builder(url).resolved().failed(Failure.DNS_NXDOMAIN, Failure.DNS_NXDOMAIN).build();
    }

    @Test
    void theSystemResolverFailingWhileTheEncryptedOneAgreesWithTheControlIsADnsBlockNamingBoth() {
        Analysis a = ANALYZER.analyze(withDoh(nxdomain("https://news.example/"), false, SITE), control());
        assertThat(a.verdict().status()).isEqualTo(Status.BLOCKED);
        assertThat(a.verdict().method()).isEqualTo(Method.DNS);
        assertThat(a.verdict().explanation()).contains("127.0.0.1:53").contains(DOH).contains("the control resolved " + SITE);
    }

    @Test
    void theSystemResolverLyingWithABogonWhileTheEncryptedOneAgreesIsADnsBlockNamingBoth() {
        WebObservation o = new Observations.Builder("https://news.example/").resolved("10.10.34.35")
                .connected("10.10.34.35", 443, Failure.CONNECTION_REFUSED).failed(null, Failure.CONNECTION_REFUSED).build();
        Analysis a = ANALYZER.analyze(withDoh(o, true, SITE), control());
        assertThat(a.verdict().status()).isEqualTo(Status.BLOCKED);
        assertThat(a.verdict().method()).isEqualTo(Method.DNS);
        assertThat(a.verdict().flags()).contains(Flag.DNS_BOGON.label());
        assertThat(a.verdict().explanation()).contains("10.10.34.35").contains("127.0.0.1:53").contains(DOH);
    }

    @Test
    void theSystemResolverGivingAnotherAddressThatFailsIsADnsBlockAndTheEncryptedResolverIsNamed() {
        WebObservation o = new Observations.Builder("http://news.example/").resolved("151.101.65.1")
                .connected("151.101.65.1", 80, Failure.GENERIC_TIMEOUT).failed(null, Failure.GENERIC_TIMEOUT).build();
        Analysis without = ANALYZER.analyze(o, control());
        Analysis with = ANALYZER.analyze(withDoh(o, false, SITE), control());
        assertThat(with.dnsConsistency()).as("the encrypted answer never makes the path's consistent").isEqualTo("inconsistent");
        assertThat(with.verdict().status()).isEqualTo(Status.BLOCKED).isEqualTo(without.verdict().status());
        assertThat(with.verdict().method()).isEqualTo(Method.DNS);
        assertThat(with.verdict().explanation()).startsWith(without.verdict().explanation()).contains(DOH);
    }

    @Test
    void whenTheResolversAgreeNothingChanges() {
        WebObservation o = new Observations.Builder("https://news.example/").resolved(SITE).connected(SITE, 443, null).handshake(SITE, 443, null)
                .fetched(Observations.response(200, PAGE, "Independent news", List.of()), null).build();
        for (ControlResult control : new ControlResult[] {control(), null}) {
            Analysis without = ANALYZER.analyze(o, control);
            Analysis with = ANALYZER.analyze(withDoh(o, true, SITE), control);
            assertThat(with.verdict()).isEqualTo(without.verdict());
            assertThat(with.dnsConsistency()).isEqualTo(without.dnsConsistency());
            assertThat(with.verdict().status()).isEqualTo(Status.ACCESSIBLE);
        }
    }

    @Test
    void aPageThatLoadsFromTheSystemsOtherAddressAndMatchesTheControlStaysAccessible() {
        // A CDN's other address: the page is the site's, whatever the encrypted resolver says.
        WebObservation o = new Observations.Builder("http://news.example/").resolved("151.101.65.1").connected("151.101.65.1", 80, null)
                .fetched(Observations.response(200, PAGE, "Independent news", List.of()), null).build();
        assertThat(ANALYZER.analyze(withDoh(o, false, SITE), control()).verdict().status()).isEqualTo(Status.ACCESSIBLE);
    }

    @Test
    void theEncryptedResolversAddressesNeverMakeALiedAboutSiteAccessible() {
        // No control: the system resolver failed; the encrypted answer's address took a handshake that validated.
        Analysis failed = ANALYZER.analyze(withDoh(nxdomain("https://news.example/"), true, SITE), null);
        assertThat(failed.verdict().status()).isEqualTo(Status.BLOCKED);
        assertThat(failed.verdict().method()).isEqualTo(Method.DNS);
        assertThat(failed.verdict().explanation()).contains("a TLS handshake for news.example validated on " + SITE);
        assertThat(failed.accessible()).isFalse();

        // The system resolver lied with a public address that does not answer: the encrypted one's works, and proves nothing for the user.
        WebObservation lied = new Observations.Builder("https://news.example/").resolved("151.101.65.1")
                .connected("151.101.65.1", 443, Failure.CONNECTION_REFUSED).failed(null, Failure.CONNECTION_REFUSED).build();
        for (ControlResult control : new ControlResult[] {control(), null}) {
            Analysis a = ANALYZER.analyze(withDoh(lied, true, SITE), control);
            assertThat(a.verdict().status()).as("control " + control).isNotEqualTo(Status.ACCESSIBLE);
            assertThat(a.accessible()).isNotEqualTo(Boolean.TRUE);
        }
        assertThat(ANALYZER.analyze(withDoh(lied, true, SITE), control()).dnsConsistency()).isEqualTo("inconsistent");
    }

    @Test
    void withoutAControlTheSystemsAddressAnsweringWithAnotherCertificateIsADnsBlock() {
        WebObservation o = new Observations.Builder("https://news.example/").resolved("151.101.65.1")
                .connected("151.101.65.1", 443, null).handshake("151.101.65.1", 443, Failure.SSL_INVALID_HOSTNAME)
                .failed(null, Failure.SSL_INVALID_HOSTNAME).build();
        Analysis a = ANALYZER.analyze(withDoh(o, true, SITE), null);
        assertThat(a.verdict().status()).isEqualTo(Status.BLOCKED);
        assertThat(a.verdict().method()).isEqualTo(Method.DNS);
        assertThat(a.verdict().explanation()).contains("151.101.65.1").contains(DOH);
        // Without the encrypted resolver's validated answer the same failure decides nothing about DNS.
        assertThat(ANALYZER.analyze(o, null).verdict().method()).isNotEqualTo(Method.DNS);
    }

    @Test
    void anEncryptedAnswerNothingConfirmsChangesNothing() {
        // No control, no handshake on it: the encrypted answer is only another answer.
        Analysis a = ANALYZER.analyze(withDoh(nxdomain("https://news.example/"), false, SITE), null);
        assertThat(a.verdict()).isEqualTo(ANALYZER.analyze(nxdomain("https://news.example/"), null).verdict());
        // An encrypted answer that disagrees with the control's confirms nothing either.
        Analysis other = ANALYZER.analyze(withDoh(nxdomain("https://news.example/"), false, "203.0.113.50"), control());
        assertThat(other.verdict()).isEqualTo(ANALYZER.analyze(nxdomain("https://news.example/"), control()).verdict());
    }

    @Test
    void anInterceptedResolverIsFlaggedAndChangesNoStatus() {
        WebObservation o = new Observations.Builder("https://news.example/").resolved(SITE).connected(SITE, 443, null).handshake(SITE, 443, null)
                .fetched(Observations.response(200, PAGE, "Independent news", List.of()), null).build();
        ResolverInterception intercepted = new ResolverInterception("127.0.0.1:53", "udp", ResolverInterception.Status.INTERCEPTED,
                Instant.EPOCH, List.of(new InterceptionSignal.Identity("id.server CH TXT", "res.*", 0, List.of("isp"), null,
                        InterceptionSignal.Outcome.MISMATCH)));
        ResolverInterception honest = new ResolverInterception("127.0.0.1:53", "udp", ResolverInterception.Status.NOT_INTERCEPTED,
                Instant.EPOCH, List.of());
        Verdict flagged = ANALYZER.analyze(o.withDnsIntercepted(DnsIntercepted.of(List.of(intercepted))), control()).verdict();
        Verdict clean = ANALYZER.analyze(o.withDnsIntercepted(DnsIntercepted.of(List.of(honest))), control()).verdict();
        assertThat(flagged.flags()).contains("dns_intercepted");
        assertThat(clean.flags()).doesNotContain("dns_intercepted");
        assertThat(flagged.status()).isEqualTo(clean.status()).isEqualTo(Status.ACCESSIBLE);
        assertThat(Flag.kindOf("dns_intercepted")).isEqualTo(Flag.DNS_INTERCEPTED);
    }
}
