package org.blockwatch.agent.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.blockwatch.agent.settings.Keys;
import org.blockwatch.agent.settings.ProbeFactory;
import org.blockwatch.agent.settings.Settings;
import org.blockwatch.agent.settings.Tests;
import org.blockwatch.agent.store.MeasurementStore;
import org.blockwatch.agent.targets.Target;
import org.blockwatch.core.archival.DnsQuery;
import org.blockwatch.core.dns.ResolverAddress;
import org.blockwatch.core.engine.TargetUrl;
import org.blockwatch.core.engine.WebEngine;
import org.blockwatch.core.verdict.Verdict.Status;
import org.blockwatch.core.webconnectivity.WebMeasurement;
import org.blockwatch.sim.CertificateAuthority;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;

/**
 * Issue 31 in the agent, built from settings as {@code run} builds it, against resolvers on
 * loopback: the ISP's (the path's, {@code measurement.resolver}), which answers the identity
 * query with its own name, and an honest one, a dnscheck resolver over UDP and TCP and an extra
 * resolver over TCP. Nothing here leaves loopback: every resolver is given, none is a default.
 */
class ResolversAgentTest {
    private static final String PUBLIC = "127.100.0.1";
    private static final String IDENTITY = "127.0.0.1=^res[0-9]+\\.honest\\.test$";
    @TempDir
    Path tmp;
    private final CertificateAuthority ca = CertificateAuthority.root("CN=resolvers test root");
    private MockWebServer site;
    private LoopbackResolver isp;
    private LoopbackResolver honest;
    private LoopbackResolver doh;
    /** The names the ISP's resolver was asked, in class IN. */
    private final Set<String> askedIsp = ConcurrentHashMap.newKeySet();
    private int ispUdp;
    private int honestUdp;
    private int honestTcp;

    @BeforeEach
    void start() throws Exception {
        site = new MockWebServer();
        site.useHttps(ca.issue("news.test").serverContext().getSocketFactory());
        site.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().body("<title>News of the day</title>" + "text ".repeat(100)).build();
            }
        });
        site.start(InetAddress.getByName(PUBLIC), 0);
        UnaryOperator<Message> ispAnswers = LoopbackResolver.answering(Map.of("news.test", List.of(PUBLIC), "doh.test", List.of("127.0.0.1")),
                "isp-resolver-7");
        isp = new LoopbackResolver(q -> {
            askedIsp.add(q.getQuestion().getName().toString(true));
            return ispAnswers.apply(q);
        });
        ispUdp = isp.udp();
        honest = new LoopbackResolver(LoopbackResolver.answering(Map.of("news.test", List.of(PUBLIC), "example.org", List.of("127.0.0.1")),
                "res1.honest.test"));
        honestUdp = honest.udp();
        honestTcp = honest.tcp();
        doh = new LoopbackResolver(LoopbackResolver.answering(Map.of("news.test", List.of(PUBLIC)), null));
    }

    @AfterEach
    void stop() throws Exception {
        site.close();
        isp.close();
        honest.close();
        doh.close();
    }

    /** The settings {@code run} would read: this test's resolvers only, no control. */
    private Settings settings() throws Exception {
        return Settings.defaults().with(Keys.METRICS_LISTEN, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .with(Keys.ASN, "AS64500").with(Keys.COUNTRY, "KZ")
                .with(Keys.RESOLVER, ResolverAddress.parse("127.0.0.1:" + ispUdp))
                .with(Keys.EXTRA_RESOLVERS, List.of("tcp://127.0.0.1:" + honestTcp))
                .with(Keys.DNS_IDENTITIES, List.of(IDENTITY))
                .with(Keys.TRUST_CA, List.of(ca.writePem(tmp.resolve("ca.pem"))))
                .with(Keys.NO_CONTROL, true)
                .with(Keys.PUBLIC_RANGES, List.of("127.0.0.0/8"))
                .with(Keys.TIMEOUT, Duration.ofMillis(1500))
                .with(Keys.TESTS_ENABLED, List.of("web_connectivity", "dnscheck"))
                .with(Keys.DNSCHECK_RESOLVERS, List.of("udp://127.0.0.1:" + honestUdp, "tcp://127.0.0.1:" + honestTcp, "udp://127.0.0.1:" + ispUdp));
    }

    private String siteUrl() {
        return "https://news.test:" + site.getPort() + "/";
    }

    @Test
    void aSweepMeasuresTheResolversAndFindsTheIspsAnsweredBySomeoneElse() throws Exception {
        Settings settings = settings();
        Path store = tmp.resolve("store.db");
        List<Target> targets = Tests.targets(settings, List.of(new Target(TargetUrl.parse(siteUrl()), "NEWS", "News Media", "test")));
        String honestUdpUrl = "udp://127.0.0.1:" + honestUdp;
        String ispUrl = "udp://127.0.0.1:" + ispUdp;
        assertThat(targets).extracting(Target::label).containsExactly(siteUrl(), honestUdpUrl, "tcp://127.0.0.1:" + honestTcp, ispUrl);
        String metrics;
        ch.qos.logback.classic.Logger agentLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Agent.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log = new ch.qos.logback.core.read.ListAppender<>();
        log.start();
        agentLog.addAppender(log);
        try (Agent agent = new Agent(settings, targets, ProbeFactory.probe(settings), MeasurementStore.open(store), "test")) {
            agent.sweepOnce();
            agent.sweepOnce(); // the same finding: said once
            agentLog.detachAppender(log);
            assertThat(log.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                    .filteredOn(l -> l.startsWith("DNS: ")).containsExactly("DNS: 127.0.0.1:" + ispUdp
                            + " is answered by someone else (identity 'isp-resolver-7', not /^res[0-9]+\\.honest\\.test$/)");
            metrics = metrics(agent);
            assertThat(agent.sweeper().published().get(honestUdpUrl).state()).isEqualTo(Status.ACCESSIBLE);
            assertThat(agent.sweeper().published().get(ispUrl).state()).isEqualTo(Status.BLOCKED);
            assertThat(agent.sweeper().published().get(siteUrl()).state()).as("interception is a flag, not a block").isEqualTo(Status.ACCESSIBLE);
        }
        // The path's resolver answers for someone else; the extra resolver over TCP is itself.
        assertThat(metrics).contains("blockwatch_resolver_intercepted{engine=\"udp\",resolver=\"127.0.0.1:" + ispUdp + "\"} 1",
                "blockwatch_resolver_intercepted{engine=\"tcp\",resolver=\"127.0.0.1:" + honestTcp + "\"} 0");
        // Each resolver a target, as a page is: its state, its flags, the kind's counter.
        assertThat(metrics).contains("blockwatch_target_state{category=\"HOST\",method=\"none\",state=\"accessible\",target=\"" + honestUdpUrl + "\"} 1",
                "blockwatch_target_state{category=\"HOST\",method=\"dns\",state=\"blocked\",target=\"" + ispUrl + "\"} 1",
                "blockwatch_target_flags{category=\"HOST\",flags=\"dns_intercepted\",target=\"" + ispUrl + "\"} 1",
                "blockwatch_target_flags{category=\"NEWS\",flags=\"dns_intercepted\",target=\"" + siteUrl() + "\"} 1")
                .containsPattern("blockwatch_measurements_total\\{method=\"none\",state=\"accessible\",test_name=\"dnscheck\"\\} [1-9]");
        assertThat(metrics.lines().filter(l -> !l.startsWith("#") && l.contains("target=\"" + ispUrl + "\"")).count())
                .as("a resolver within the per-target series budget").isBetween(2L, (long) org.blockwatch.agent.metrics.AgentMetrics.SERIES_PER_TARGET);
        AgentTest.promtoolCheck(metrics);

        ObjectMapper json = new ObjectMapper();
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + store);
                var r = c.createStatement().executeQuery("SELECT target, category, json FROM measurements WHERE test_name = 'dnscheck' ORDER BY id")) {
            int n = 0;
            while (r.next()) {
                n++;
                assertThat(r.getString(2)).isEqualTo("HOST");
                JsonNode doc = json.readTree(r.getString(3));
                assertThat(doc.get("test_version").asText()).isEqualTo("0.9.3");
                assertThat(doc.get("input").asText()).isEqualTo(r.getString(1));
                assertThat(doc.get("test_keys").get("x_identity").get("expected").asText()).isEqualTo("^res[0-9]+\\.honest\\.test$");
            }
            assertThat(n).as("each resolver measured, a new state confirmed by a second measurement, then once more").isEqualTo(9);
        }
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + store);
                var r = c.createStatement().executeQuery("SELECT json FROM measurements WHERE test_name = 'web_connectivity'")) {
            assertThat(r.next()).isTrue();
            JsonNode intercepted = json.readTree(r.getString(1)).get("test_keys").get("x_dns_intercepted");
            assertThat(intercepted.get("intercepted").asBoolean()).isTrue();
            assertThat(intercepted.get("resolvers")).extracting(x -> x.get("resolver_address").asText() + " " + x.get("status").asText())
                    .contains("127.0.0.1:" + ispUdp + " intercepted");
        }

        // status says it from the store, in words and in JSON.
        String why = "identity 'isp-resolver-7', not /^res[0-9]+\\.honest\\.test$/";
        java.io.StringWriter text = new java.io.StringWriter();
        org.blockwatch.agent.cli.Main.run(new java.io.PrintWriter(text), new java.io.PrintWriter(new java.io.StringWriter()), "status", "--store",
                store.toString(), "--metrics-listen", "127.0.0.1:1");
        assertThat(text.toString()).contains("DNS:         127.0.0.1:" + ispUdp + " is answered by someone else (" + why + "; measured ")
                .doesNotContain("127.0.0.1:" + honestTcp + " is answered");
        java.io.StringWriter out = new java.io.StringWriter();
        org.blockwatch.agent.cli.Main.run(new java.io.PrintWriter(out), new java.io.PrintWriter(new java.io.StringWriter()), "status", "--store",
                store.toString(), "--metrics-listen", "127.0.0.1:1", "--json");
        JsonNode status = json.readTree(out.toString());
        assertThat(status.get("dns_intercepted")).singleElement().satisfies(d -> {
            assertThat(d.get("resolver").asText()).isEqualTo("127.0.0.1:" + ispUdp);
            assertThat(d.get("engine").asText()).isEqualTo("udp");
            assertThat(d.get("why").asText()).isEqualTo(why);
        });
        assertThat(status.get("targets")).anySatisfy(t -> assertThat(t.get("target").asText()).isEqualTo(ispUrl));
    }

    /**
     * {@code measurement.resolver} keeps its promise with an extra resolver given by name: the
     * DoH resolver's name is resolved by the measurement's resolver, and the system's resolver is
     * never asked.
     */
    @Test
    void anExtraResolversNameIsResolvedByTheMeasurementsResolverNotTheSystems() throws Exception {
        int port = doh.doh(ca.issue("doh.test").serverContext(), "/dns-query");
        Settings settings = settings().with(Keys.EXTRA_RESOLVERS, List.of("https://doh.test:" + port + "/dns-query"));
        ProbeFactory.Parts parts = ProbeFactory.probe(settings);
        assertThat(parts.engine().extraResolvers()).singleElement().satisfies(r -> assertThat(r.address()).contains("doh.test"));
        WebMeasurement m;
        try (WebEngine engine = parts.newEngine()) {
            m = parts.test(engine).measure(TargetUrl.parse(siteUrl()));
        }
        List<DnsQuery> queries = m.observation().queries();
        assertThat(queries).extracting(DnsQuery::engine).doesNotContain("getaddrinfo").contains("udp", "doh");
        assertThat(queries).filteredOn(q -> q.engine().equals("doh")).allSatisfy(q -> assertThat(q.hostname()).isEqualTo("news.test"))
                .anySatisfy(q -> assertThat(q.answers()).isNotEmpty());
        assertThat(askedIsp).as("the DoH resolver's name went to the measurement's resolver").contains("doh.test", "news.test");
        assertThat(doh.count("doh")).isPositive();
        assertThat(m.verdict().status()).isEqualTo(Status.ACCESSIBLE);
    }

    private static String metrics(Agent agent) throws Exception {
        HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.metricsAddress().getPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }
}
