package org.blockwatch.core.engine;

import org.blockwatch.core.nettest.BoundedParallel;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.blockwatch.core.archival.DnsQuery;
import org.blockwatch.core.archival.HttpTransaction;
import org.blockwatch.core.archival.MeasurementJson;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.archival.TlsHandshake;
import org.blockwatch.core.archival.WebObservation;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.tcp.DirectSocketFactory;
import org.blockwatch.core.tcp.RememberingSocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.blockwatch.core.archival.ProbeAddressScrubber;
import org.blockwatch.core.archival.Report;
import org.blockwatch.core.control.wire.ControlResult;
import org.blockwatch.core.ip.Bogons;
import org.blockwatch.core.nettest.Measurement;
import org.blockwatch.core.nettest.OoniDocument;
import org.blockwatch.core.verdict.Analyzer;
import org.blockwatch.core.webconnectivity.WebConnectivity;
import org.blockwatch.core.webconnectivity.WebMeasurement;

/** Each case of the engine's contract, measured end to end against servers on loopback. */
class WebEngineTest {
    private static SimulatedInternet net;
    private static WebEngine engine;

    @BeforeAll
    static void start() throws Exception {
        net = new SimulatedInternet();
        engine = new WebEngine(net.config());
    }

    @AfterAll
    static void stop() throws Exception {
        engine.close();
        net.close();
    }

    private static WebObservation measure(String url) {
        return engine.measure(TargetUrl.parse(url));
    }

    private static TlsHandshake onlyHandshake(WebObservation o) {
        assertThat(o.tlsHandshakes()).hasSize(1);
        return o.tlsHandshakes().get(0);
    }

    @Test
    void httpsSiteIsMeasuredAtEveryStep() {
        WebObservation o = measure("https://site.test:" + net.https.getPort() + "/");
        assertThat(o.dnsExperimentFailure()).isNull();
        assertThat(o.queries()).extracting(DnsQuery::queryType).containsExactly("A", "AAAA");
        assertThat(o.queries().get(0).addresses()).containsExactly("127.0.0.1");
        assertThat(o.tcpConnect()).hasSize(1);
        assertThat(o.tcpConnect().get(0).success()).isTrue();
        TlsHandshake tls = onlyHandshake(o);
        assertThat(tls.failure()).isNull();
        assertThat(tls.serverName()).isEqualTo("site.test");
        assertThat(tls.tlsVersion()).startsWith("TLSv1.");
        assertThat(tls.cipherSuite()).startsWith("TLS_");
        assertThat(tls.negotiatedProtocol()).isIn("h2", "http/1.1");
        assertThat(tls.peerCertificates()).hasSize(1);
        assertThat(tls.trustAnchor().subject()).contains("blockwatch test root");
        HttpTransaction request = o.finalRequest();
        assertThat(request.failure()).isNull();
        assertThat(request.response().code()).isEqualTo(200);
        assertThat(request.response().title()).isEqualTo("Welcome to the site");
        assertThat(request.address()).isEqualTo("127.0.0.1:" + net.https.getPort());
        assertThat(request.request().headers()).containsKey("User-Agent");
        assertThat(request.timings()).containsKeys("connect", "tls_handshake", "ttfb");
        assertThat(o.networkEvents()).extracting(e -> e.operation()).contains("connect", "tls_handshake_done", "http_response_metadata");
        assertThat(o.httpExperimentFailure()).isNull();
    }

    @Test
    void connectionRefused() {
        WebObservation o = measure("http://site.test:" + net.closedPort + "/");
        assertThat(o.tcpConnect().get(0).failure()).isEqualTo(Failure.CONNECTION_REFUSED);
        assertThat(o.requests()).isEmpty();
        assertThat(o.httpExperimentFailure()).isEqualTo(Failure.CONNECTION_REFUSED);
    }

    @Test
    void connectTimeout() {
        WebObservation o = measure("http://site.test:" + net.blackhole.port() + "/");
        assertThat(o.tcpConnect().get(0).failure()).isEqualTo(Failure.GENERIC_TIMEOUT);
        assertThat(o.httpExperimentFailure()).isEqualTo(Failure.GENERIC_TIMEOUT);
    }

    @Test
    void resetDuringTheTlsHandshake() {
        WebObservation o = measure("https://site.test:" + net.resetOnHello.port() + "/");
        assertThat(o.tcpConnect().get(0).success()).isTrue();
        assertThat(onlyHandshake(o).failure()).isEqualTo(Failure.CONNECTION_RESET);
        assertThat(o.requests()).isEmpty();
        assertThat(o.httpExperimentFailure()).isEqualTo(Failure.CONNECTION_RESET);
    }

    @Test
    void eofDuringTheTlsHandshake() {
        WebObservation o = measure("https://site.test:" + net.closeOnHello.port() + "/");
        assertThat(onlyHandshake(o).failure()).isEqualTo(Failure.EOF);
    }

    @Test
    void tlsHandshakeTimeout() {
        WebObservation o = measure("https://site.test:" + net.stall.port() + "/");
        assertThat(onlyHandshake(o).failure()).isEqualTo(Failure.GENERIC_TIMEOUT);
        assertThat(onlyHandshake(o).peerCertificates()).isEmpty();
    }

    @Test
    void unknownAuthorityKeepsTheChainAsSent() throws Exception {
        WebObservation o = measure("https://site.test:" + net.mitm.getPort() + "/");
        TlsHandshake tls = onlyHandshake(o);
        assertThat(tls.failure()).isEqualTo(Failure.SSL_UNKNOWN_AUTHORITY);
        assertThat(tls.trustAnchor()).isNull();
        assertThat(tls.peerCertificates()).hasSize(1);
        var leaf = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(Base64.getDecoder().decode(tls.peerCertificates().get(0).data())));
        assertThat(leaf.getIssuerX500Principal().getName()).contains("Rogue Interception Root");
        assertThat(o.requests()).as("nothing is fetched through an interceptor").isEmpty();
    }

    @Test
    void wrongHostname() {
        WebObservation o = measure("https://site.test:" + net.wrongName.getPort() + "/");
        assertThat(onlyHandshake(o).failure()).isEqualTo(Failure.SSL_INVALID_HOSTNAME);
        assertThat(onlyHandshake(o).peerCertificates()).isNotEmpty();
    }

    @Test
    void expiredCertificate() {
        WebObservation o = measure("https://site.test:" + net.expired.getPort() + "/");
        assertThat(onlyHandshake(o).failure()).isEqualTo(Failure.SSL_INVALID_CERTIFICATE);
    }

    @Test
    void responseHeadersThatNeverEndAreToldFromAPeerThatClosed() {
        WebObservation endless = measure("http://site.test:" + net.endlessHeaders.port() + "/");
        assertThat(endless.tcpConnect().get(0).success()).isTrue();
        assertThat(endless.finalRequest().response()).isNull();
        assertThat(endless.httpExperimentFailure()).isEqualTo(Failure.HTTP_HEADERS_TOO_LARGE);

        WebObservation cut = measure("http://site.test:" + net.closeInHead.port() + "/");
        assertThat(cut.httpExperimentFailure()).isEqualTo(Failure.EOF);
    }

    @Test
    void resetAfterTheHttpRequest() {
        WebObservation o = measure("http://site.test:" + net.resetAfterRequest.port() + "/");
        assertThat(o.tcpConnect().get(0).success()).isTrue();
        HttpTransaction request = o.finalRequest();
        assertThat(request.failure()).isEqualTo(Failure.CONNECTION_RESET);
        assertThat(request.response()).isNull();
        assertThat(o.httpExperimentFailure()).isEqualTo(Failure.CONNECTION_RESET);
    }

    @Test
    void bodyOverTheLimitIsTruncated() {
        WebObservation o = measure("http://site.test:" + net.http.getPort() + "/big");
        HttpTransaction.Response response = o.finalRequest().response();
        assertThat(response.bodyIsTruncated()).isTrue();
        assertThat(response.body().length()).isEqualTo(EngineConfig.DEFAULT_BODY_LIMIT);
        assertThat(o.finalRequest().failure()).isNull();
    }

    @Test
    void aBodyCutAtTheLimitIsNotDownloadedToItsEnd() throws Exception {
        // OkHttp, closing a body not read to its end, reads on for up to 100 ms to reuse the
        // connection: on a fast line, megabytes the probe then throws away.
        RememberingSocketFactory sockets = new RememberingSocketFactory(DirectSocketFactory.INSTANCE);
        try (WebEngine counted = new WebEngine(net.config().withSockets(sockets))) {
            WebObservation o = counted.measure(TargetUrl.parse("http://site.test:" + net.http.getPort() + "/huge"));
            assertThat(o.finalRequest().response().bodyIsTruncated()).isTrue();
            assertThat(o.finalRequest().failure()).isNull();
            assertThat(o.networkEvents()).allSatisfy(e -> assertThat(e.failure()).isNull());
        }
        // The limit, and what was already on its way: a few socket reads, far from the 8 MiB page.
        assertThat(sockets.received()).isGreaterThan(EngineConfig.DEFAULT_BODY_LIMIT).isLessThan(EngineConfig.DEFAULT_BODY_LIMIT + 512 * 1024);
    }

    @Test
    void redirectChainRecordsEveryHopAndMeasuresEachNewHost() {
        int port = net.http.getPort();
        WebObservation o = measure("http://a.test:" + port + "/hop1");
        assertThat(o.requests()).extracting(HttpTransaction::url).containsExactly(
                "http://c.test:" + port + "/final", "http://b.test:" + port + "/hop2", "http://a.test:" + port + "/hop1");
        assertThat(o.requests()).extracting(r -> r.response().code()).containsExactly(200, 302, 302);
        assertThat(o.queries()).extracting(DnsQuery::hostname).containsSubsequence("a.test", "b.test", "c.test");
        assertThat(o.tcpConnect()).hasSize(3);
        assertThat(o.finalRequest().response().title()).isEqualTo("Arrived");
        assertThat(o.httpExperimentFailure()).isNull();
    }

    @Test
    void moreThanTenRedirectsFails() {
        WebObservation o = measure("http://loop.test:" + net.http.getPort() + "/loop/0");
        assertThat(o.requests()).hasSize(11);
        assertThat(o.httpExperimentFailure()).isEqualTo(Failure.HTTP_TOO_MANY_REDIRECTS);
        assertThat(o.queries()).extracting(DnsQuery::hostname).containsOnly("loop.test");
    }

    @Test
    void idnHostIsQueriedInItsAsciiFormWhateverTheCase() {
        WebObservation lower = measure("http://яндекс.рф:" + net.http.getPort() + "/");
        WebObservation upper = measure("http://ЯНДЕКС.РФ:" + net.http.getPort() + "/");
        for (WebObservation o : List.of(lower, upper)) {
            assertThat(o.queries().get(0).hostname()).isEqualTo(SimulatedInternet.IDN_ASCII);
            assertThat(o.finalRequest().response().title()).isEqualTo("Host " + SimulatedInternet.IDN_ASCII + ":" + net.http.getPort());
        }
        assertThat(upper.input()).isEqualTo("http://ЯНДЕКС.РФ:" + net.http.getPort() + "/");
    }

    @Test
    void dnsFailuresStopTheMeasurementWithTheirOwnString() {
        assertThat(measure("http://nx.test/").dnsExperimentFailure()).isEqualTo(Failure.DNS_NXDOMAIN);
        assertThat(measure("http://servfail.test/").dnsExperimentFailure()).isEqualTo(Failure.DNS_SERVFAIL);
        assertThat(measure("http://empty.test/").dnsExperimentFailure()).isEqualTo(Failure.DNS_NO_ANSWER);
        WebObservation silent = measure("http://silent.test/");
        assertThat(silent.dnsExperimentFailure()).isEqualTo(Failure.GENERIC_TIMEOUT);
        assertThat(silent.httpExperimentFailure()).isEqualTo(Failure.GENERIC_TIMEOUT);
        assertThat(silent.tcpConnect()).isEmpty();
    }

    @Test
    void injectedAnswerIsRecordedFirstAndTheRealOneLate() {
        WebObservation o = measure("http://injected.test:" + net.http.getPort() + "/");
        DnsQuery a = o.queries().stream().filter(q -> q.queryType().equals("A")).findFirst().orElseThrow();
        assertThat(a.addresses()).containsExactly("127.0.0.2");
        assertThat(o.dnsLateReplies()).extracting(DnsQuery::addresses).contains(List.of("127.0.0.1"));
        // Both addresses are tried; the real one serves the page.
        assertThat(o.tcpConnect()).extracting(c -> c.ip()).containsExactlyInAnyOrder("127.0.0.2", "127.0.0.1");
        assertThat(o.finalRequest().response().code()).isEqualTo(200);
    }

    @Test
    void manyUrlsRunWithBoundedParallelism() throws Exception {
        List<TargetUrl> targets = new ArrayList<>();
        for (int i = 0; i < 6; i++) targets.add(TargetUrl.parse("http://host" + i + ".test:" + net.http.getPort() + "/"));
        List<WebObservation> results = new ArrayList<>();
        engine.measureAll(targets, results::add);
        assertThat(results).extracting(WebObservation::input).containsExactlyInAnyOrderElementsOf(targets.stream().map(TargetUrl::input).toList());
        assertThat(results).allSatisfy(o -> assertThat(o.finalRequest().response().code()).isEqualTo(200));
    }

    @Test
    void serialisesToOoniBaseFormatWithoutTheProbesAddress() {
        WebObservation o = measure("https://site.test:" + net.https.getPort() + "/");
        ControlResult none = ControlResult.none(null);
        Measurement m = new Measurement(WebConnectivity.TEST_NAME, WebConnectivity.TEST_VERSION,
                new WebMeasurement(o, none, Analyzer.standard(Bogons.DEFAULT).analyze(o, none)));
        JsonNode json = OoniDocument.tree(m, ProbeInfo.UNKNOWN, new OoniDocument.Place(Report.none(o.startTime()), null, null),
                ProbeAddressScrubber.NONE);
        for (String field : List.of("annotations", "data_format_version", "input", "measurement_start_time", "probe_asn",
                "probe_cc", "probe_ip", "report_id", "resolver_ip", "software_name", "software_version", "test_name",
                "test_runtime", "test_start_time", "test_version", "test_keys")) {
            assertThat(json.has(field)).as(field).isTrue();
        }
        assertThat(json.get("test_name").asText()).isEqualTo("web_connectivity");
        assertThat(json.get("probe_ip").asText()).isEqualTo("127.0.0.1");
        assertThat(json.get("measurement_start_time").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
        JsonNode keys = json.get("test_keys");
        for (String field : List.of("queries", "tcp_connect", "tls_handshakes", "requests", "network_events",
                "x_dns_late_replies", "dns_experiment_failure", "http_experiment_failure")) {
            assertThat(keys.has(field)).as(field).isTrue();
        }
        assertThat(keys.get("tls_handshakes").get(0).get("peer_certificates").get(0).get("format").asText()).isEqualTo("base64");
        assertThat(keys.get("tcp_connect").get(0).get("status").get("success").asBoolean()).isTrue();
        assertThat(keys.get("tcp_connect").get(0).get("status").has("failure")).isTrue();
        assertThat(keys.get("requests").get(0).get("response").get("body").isTextual()).isTrue();
        assertThat(keys.get("requests").get(0).get("request").get("headers_list").get(0).isArray()).isTrue();
    }
}
