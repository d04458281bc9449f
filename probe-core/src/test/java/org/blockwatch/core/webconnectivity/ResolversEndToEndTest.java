package org.blockwatch.core.webconnectivity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.blockwatch.core.archival.DnsQuery;
import org.blockwatch.core.archival.MeasurementUid;
import org.blockwatch.core.archival.ProbeAddressScrubber;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.archival.Report;
import org.blockwatch.core.archival.TlsHandshake;
import org.blockwatch.core.archival.WebObservation;
import org.blockwatch.core.dns.DnsInterception;
import org.blockwatch.core.dns.FixedResolver;
import org.blockwatch.core.dns.IdentityQuery;
import org.blockwatch.core.dns.InterceptionCheck;
import org.blockwatch.core.dns.LoopbackDnsServer;
import org.blockwatch.core.engine.EngineConfig;
import org.blockwatch.core.engine.TargetUrl;
import org.blockwatch.core.engine.WebEngine;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.ip.AddressRange;
import org.blockwatch.core.ip.Bogons;
import org.blockwatch.core.nettest.Measurement;
import org.blockwatch.core.nettest.OoniDocument;
import org.blockwatch.core.verdict.Analyzer;
import org.blockwatch.core.verdict.Verdict;
import org.blockwatch.sim.CertificateAuthority;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Web Connectivity on loopback with the ISP's resolver as the path and an encrypted resolver of
 * the test's own beside it: the site listens on 127.0.0.1, an impostor with another root's
 * certificate on 127.0.0.2 at the same port, nothing on 127.0.0.3. The ISP's resolver knows the
 * site by four names: one it denies, one it points at the impostor, one at nothing, one honestly.
 * Loopback is declared public, as a lab does, so that no answer here is a bogon.
 */
class ResolversEndToEndTest {
    private static final String DOH = "https://dns.foreign.test/dns-query";
    private static final IdentityQuery FOREIGN_ID = IdentityQuery.chaos("id.server", "res[0-9]+\\.foreign\\.test");
    private static final Analyzer ANALYZER = Analyzer.standard(new Bogons(List.of(AddressRange.parse("127.0.0.0/8"))));
    private static final CertificateAuthority TRUSTED = CertificateAuthority.root("CN=blockwatch test root, O=blockwatch");
    private static final CertificateAuthority ROGUE = CertificateAuthority.root("CN=Rogue, O=Censor");
    private static final String[] NAMES = {"denied.test", "impostor.test", "nowhere.test", "honest.test"};
    private static MockWebServer site;
    private static MockWebServer impostor;
    private static LoopbackDnsServer isp;
    private static EngineConfig config;
    private static Schema schema;

    @BeforeAll
    static void start() throws Exception {
        site = server(TRUSTED, InetAddress.getByName("127.0.0.1"), 0, "The site");
        impostor = server(ROGUE, InetAddress.getByName("127.0.0.2"), site.getPort(), "Blocked");
        isp = new LoopbackDnsServer()
                .address("impostor.test", 60, "127.0.0.2")
                .address("nowhere.test", 60, "127.0.0.3")
                .address("honest.test", 60, "127.0.0.1")
                .chaos("id.server", "isp-resolver-7");
        Map<String, List<String>> table = new java.util.HashMap<>();
        for (String name : NAMES) table.put(name, List.of("127.0.0.1"));
        config = EngineConfig.defaults().withResolver(isp.resolver()).withExtraRoots(List.of(TRUSTED.certificate()))
                .withStepTimeout(Duration.ofMillis(1500)).withDnsLateWindow(Duration.ofMillis(100))
                .withExtraResolvers(List.of(new FixedResolver(DOH, "doh", table)));
        try (InputStream in = Files.newInputStream(Path.of("../docs/ooni-measurement.schema.json"))) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        site.close();
        impostor.close();
        isp.close();
    }

    private static MockWebServer server(CertificateAuthority ca, InetAddress bind, int port, String title) throws Exception {
        MockWebServer s = new MockWebServer();
        s.useHttps(ca.issue(NAMES).serverContext().getSocketFactory());
        s.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html")
                        .body("<html><head><title>" + title + "</title></head><body>hello</body></html>").build();
            }
        });
        s.start(bind, port);
        return s;
    }

    private static WebMeasurement measure(EngineConfig config, String host) {
        try (WebEngine engine = new WebEngine(config)) {
            return new WebConnectivity(engine, null, ANALYZER).measure(TargetUrl.parse("https://" + host + ":" + site.getPort() + "/"));
        }
    }

    private static List<TlsHandshake> handshakesWith(WebObservation o, String ip) {
        return o.tlsHandshakes().stream().filter(h -> h.address().equals(ip + ":" + site.getPort())).toList();
    }

    @Test
    void theEncryptedResolversLookupIsRecordedWithItsEngineAndAddress() {
        WebObservation o = measure(config, "honest.test").observation();
        assertThat(o.queries()).extracting(DnsQuery::engine).containsExactly("udp", "udp", "doh");
        DnsQuery doh = o.queries().get(2);
        assertThat(doh.resolverAddress()).isEqualTo(DOH);
        assertThat(doh.addresses()).containsExactly("127.0.0.1");
        assertThat(o.resolverAddress()).as("the path's resolver is the one recorded as the measurement's").isEqualTo(isp.address());
    }

    @Test
    void theIspDenyingTheNameIsADnsBlockNamingBothResolvers() {
        WebMeasurement m = measure(config, "denied.test");
        assertThat(m.observation().dnsExperimentFailure()).isEqualTo(Failure.DNS_NXDOMAIN);
        assertThat(handshakesWith(m.observation(), "127.0.0.1")).singleElement().satisfies(h -> assertThat(h.failure()).isNull());
        assertThat(m.observation().requests()).isEmpty();
        assertThat(m.verdict().status()).isEqualTo(Verdict.Status.BLOCKED);
        assertThat(m.verdict().methodLabel()).isEqualTo("dns");
        assertThat(m.verdict().explanation()).contains(isp.address()).contains(DOH);
    }

    @Test
    void theIspPointingTheNameAtAnImpostorIsADnsBlock() {
        WebMeasurement m = measure(config, "impostor.test");
        assertThat(handshakesWith(m.observation(), "127.0.0.2")).singleElement()
                .satisfies(h -> assertThat(h.failure()).isEqualTo(Failure.SSL_UNKNOWN_AUTHORITY));
        assertThat(handshakesWith(m.observation(), "127.0.0.1")).singleElement().satisfies(h -> assertThat(h.failure()).isNull());
        assertThat(m.observation().requests()).as("the page is never fetched from the extra resolver's address").isEmpty();
        assertThat(m.verdict().status()).isEqualTo(Verdict.Status.BLOCKED);
        assertThat(m.verdict().methodLabel()).isEqualTo("dns");
        assertThat(m.verdict().explanation()).contains("127.0.0.2").contains(DOH);
    }

    @Test
    void theEncryptedResolversWorkingAddressNeverMakesTheSiteAccessible() {
        WebMeasurement m = measure(config, "nowhere.test");
        assertThat(m.observation().tcpConnect()).anySatisfy(c -> {
            assertThat(c.ip()).isEqualTo("127.0.0.1");
            assertThat(c.success()).isTrue();
        });
        assertThat(m.observation().requests()).isEmpty();
        assertThat(m.observation().httpExperimentFailure()).isEqualTo(Failure.CONNECTION_REFUSED);
        assertThat(m.verdict().status()).isNotEqualTo(Verdict.Status.ACCESSIBLE);
        assertThat(m.analysis().accessible()).isNotEqualTo(Boolean.TRUE);
    }

    @Test
    void anHonestIspGivesTheVerdictItGaveWithoutTheExtraResolver() {
        WebMeasurement with = measure(config, "honest.test");
        WebMeasurement without = measure(config.withExtraResolvers(List.of()), "honest.test");
        assertThat(with.observation().finalRequest().response().title()).isEqualTo("The site");
        assertThat(with.observation().finalRequest().address()).isEqualTo("127.0.0.1:" + site.getPort());
        assertThat(with.verdict()).isEqualTo(without.verdict());
        assertThat(with.verdict().status()).isEqualTo(Verdict.Status.ACCESSIBLE);
    }

    @Test
    void anInterceptedResolverIsFlaggedInEveryMeasurementThatAskedItAndCheckedOnce() throws Exception {
        DnsInterception checks = new DnsInterception(List.of(InterceptionCheck.udp(isp.resolver()).withIdentity(FOREIGN_ID)), Duration.ofMillis(500));
        EngineConfig checked = config.withInterception(checks);
        List<WebMeasurement> sweep;
        try (WebEngine engine = new WebEngine(checked)) {
            WebConnectivity wc = new WebConnectivity(engine, null, ANALYZER);
            sweep = java.util.stream.Stream.of("honest.test", "denied.test", "impostor.test")
                    .map(h -> wc.measure(TargetUrl.parse("https://" + h + ":" + site.getPort() + "/"))).toList();
            assertThat(engine.interception().states()).singleElement()
                    .satisfies(s -> assertThat(s.status().label()).isEqualTo("intercepted"));
        }
        assertThat(isp.asked("id.server")).isEqualTo(1);
        for (WebMeasurement m : sweep) {
            assertThat(m.verdict().flags()).contains("dns_intercepted");
            ObjectNode doc = document(m);
            JsonNode key = doc.get("test_keys").get("x_dns_intercepted");
            assertThat(key.get("intercepted").asBoolean()).isTrue();
            JsonNode resolver = key.get("resolvers").get(0);
            assertThat(resolver.get("resolver_address").asText()).isEqualTo(isp.address());
            assertThat(resolver.get("engine").asText()).isEqualTo("udp");
            assertThat(resolver.get("status").asText()).isEqualTo("intercepted");
            assertThat(resolver.get("signals").get(0).get("answers").get(0).asText()).isEqualTo("isp-resolver-7");
            assertThat(schema.validate(doc)).as("schema errors").isEmpty();
        }
        // The honest site is still accessible: interception is a flag, not a block.
        assertThat(sweep.get(0).verdict().status()).isEqualTo(Verdict.Status.ACCESSIBLE);
    }

    @Test
    void aMeasurementWithoutCheckedResolversHasNoInterceptionKey() throws Exception {
        ObjectNode doc = document(measure(config, "honest.test"));
        assertThat(doc.get("test_keys").has("x_dns_intercepted")).isFalse();
        assertThat(schema.validate(doc)).as("schema errors").isEmpty();
    }

    private static ObjectNode document(WebMeasurement m) {
        java.time.Instant start = m.startTime();
        Measurement measurement = new Measurement(WebConnectivity.TEST_NAME, WebConnectivity.TEST_VERSION, m);
        return OoniDocument.tree(measurement, new ProbeInfo("AS9198", "KZ", "KazakhTelecom", "blockwatch", "test"),
                new OoniDocument.Place(Report.open(start, "web_connectivity", "KZ", "AS9198"), MeasurementUid.next(start, "KZ", WebConnectivity.TEST_NAME), "COMT"),
                ProbeAddressScrubber.NONE);
    }
}
