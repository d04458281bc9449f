package org.blockwatch.agent.run;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
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
import java.util.concurrent.ConcurrentHashMap;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.blockwatch.agent.schedule.Sweeper;
import org.blockwatch.agent.settings.Keys;
import org.blockwatch.agent.settings.ProbeFactory;
import org.blockwatch.agent.settings.Settings;
import org.blockwatch.agent.settings.Tests;
import org.blockwatch.agent.sink.MeasurementSink;
import org.blockwatch.agent.store.MeasurementStore;
import org.blockwatch.agent.store.NetworkState;
import org.blockwatch.agent.targets.Target;
import org.blockwatch.core.dns.ResolverAddress;
import org.blockwatch.core.engine.TargetUrl;
import org.blockwatch.helper.ports.PortListener;
import org.blockwatch.sim.CensoredPath;
import org.blockwatch.sim.CertificateAuthority;
import org.blockwatch.sim.Fault;
import org.blockwatch.sim.FaultServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 31: what still works in a whitelist shutdown. A domestic site answers, a foreign one does
 * not and no control is asked: the network is restricted, and the agent checks its port-filtering
 * helper (probe-helper's listener, in this process on loopback) through a censor that resets one
 * of its TCP ports: the open channels go to /metrics, the store (with the restricted state), the
 * log and {@code status}. When the foreign site answers again, the network's change brings one
 * more check; after that, none until the interval.
 */
class PortFilteringAgentTest {
    private static final String PUBLIC = "127.100.0.1";
    private static final String NOWHERE = "127.100.0.9";
    @TempDir
    Path tmp;
    private final CertificateAuthority ca = CertificateAuthority.root("CN=port filtering test root");
    private final Map<String, List<String>> names = new ConcurrentHashMap<>();
    private MockWebServer site;
    private LoopbackResolver resolver;
    private PortListener helper;
    private FaultServer reset;

    @BeforeEach
    void start() throws Exception {
        site = new MockWebServer();
        site.useHttps(ca.issue("home.test", "abroad.test").serverContext().getSocketFactory());
        site.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().body("<title>Home</title>" + "text ".repeat(100)).build();
            }
        });
        site.start(InetAddress.getByName(PUBLIC), 0);
        names.put("home.test", List.of(PUBLIC));
        names.put("abroad.test", List.of(NOWHERE)); // nothing listens there: the foreign site is cut off
        resolver = new LoopbackResolver(LoopbackResolver.answering(names, null));
        helper = PortListener.start(InetAddress.getLoopbackAddress(), List.of(0, 0), List.of(0), PortListener.Limits.defaults());
        reset = new FaultServer(Fault.RESET_ON_FIRST_DATA);
    }

    @AfterEach
    void stop() throws Exception {
        site.close();
        resolver.close();
        helper.close();
        reset.close();
    }

    @Test
    void aRestrictedSweepIsFollowedByTheHelpersCheckAndWhatStillWorksIsSaidEverywhere() throws Exception {
        int open = helper.tcpPorts().get(0);
        int cut = helper.tcpPorts().get(1);
        int udp = helper.udpPorts().get(0);
        Settings settings = Settings.defaults().with(Keys.METRICS_LISTEN, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .with(Keys.ASN, "AS64500").with(Keys.COUNTRY, "KZ")
                .with(Keys.RESOLVER, ResolverAddress.parse("127.0.0.1:" + resolver.udp()))
                .with(Keys.EXTRA_RESOLVERS, List.of())
                .with(Keys.NO_CONTROL, true)
                .with(Keys.TRUST_CA, List.of(ca.writePem(tmp.resolve("ca.pem"))))
                .with(Keys.PUBLIC_RANGES, List.of("127.0.0.0/8"))
                .with(Keys.TIMEOUT, Duration.ofMillis(1500))
                .with(Keys.TESTS_ENABLED, List.of("web_connectivity", "portfiltering"))
                .with(Keys.PORTFILTERING_HELPER, "portfilter://127.0.0.1")
                .with(Keys.PORTFILTERING_TCP_PORTS, List.of(open, cut))
                .with(Keys.PORTFILTERING_DNS_PORTS, List.of(udp))
                .with(Keys.PORTFILTERING_QUIC_PORTS, List.of());
        ProbeFactory.Parts built = ProbeFactory.probe(settings);
        // The censor: a connection to the helper's second TCP port is reset.
        CensoredPath censor = new CensoredPath().detour("127.0.0.1", cut, reset.port());
        ProbeFactory.Parts parts = new ProbeFactory.Parts(built.engine().withSockets(censor), built.trust(), built.control(), built.analyzer(),
                built.apps(), built.dns(), built.ports());
        List<Target> targets = Tests.targets(settings, List.of(
                new Target(TargetUrl.parse("https://home.test:" + site.getPort() + "/"), "NEWS", "News Media", "test", true),
                new Target(TargetUrl.parse("https://abroad.test:" + site.getPort() + "/"), "NEWS", "News Media", "test", false)));
        assertThat(targets).as("portfiltering is not a sweep's target").extracting(Target::testName).containsOnly("web_connectivity");
        Path store = tmp.resolve("store.db");
        ch.qos.logback.classic.Logger sinkLog = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(MeasurementSink.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        sinkLog.addAppender(log);
        ch.qos.logback.classic.Level level = sinkLog.getLevel();
        sinkLog.setLevel(ch.qos.logback.classic.Level.INFO); // whatever another test (the demo's "warn") left the root at
        String stillOpen = "tcp/" + open + ", udp/" + udp;
        try (Agent agent = new Agent(settings, targets, parts, MeasurementStore.open(store), "test")) {
            Sweeper.Result restricted = agent.sweepOnce();
            assertThat(restricted.network()).isEqualTo(NetworkState.RESTRICTED);
            String metrics = metrics(agent);
            assertThat(metrics).contains("blockwatch_network_state{state=\"restricted\"} 1",
                    "blockwatch_channel_open{channel=\"tcp/" + open + "\"} 1", "blockwatch_channel_open{channel=\"tcp/" + cut + "\"} 0",
                    "blockwatch_channel_open{channel=\"udp/" + udp + "\"} 1")
                    .containsPattern("blockwatch_measurements_total\\{method=\"tcp_ip\",state=\"blocked\",test_name=\"portfiltering\"\\} 1");
            AgentTest.promtoolCheck(metrics);
            assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).contains("network: restricted; still open: " + stillOpen);
            assertThat(portFilteringRecords(store)).singleElement().satisfies(doc -> {
                assertThat(doc.get("input").asText()).isEqualTo("portfilter://127.0.0.1");
                assertThat(doc.get("test_version").asText()).isEqualTo("0.1.0");
                assertThat(doc.get("test_keys").get("x_surviving")).extracting(JsonNode::asText).containsExactly("tcp/" + open, "udp/" + udp);
            });
            try (MeasurementStore s = MeasurementStore.open(store)) {
                MeasurementStore.NetworkRecord n = s.networkRecord().orElseThrow();
                assertThat(n.state()).isEqualTo(NetworkState.RESTRICTED);
                assertThat(n.openChannels()).containsExactly("tcp/" + open, "udp/" + udp);
                assertThat(n.channelsCheckedAt()).isNotNull();
            }
            String status = status(store, false);
            assertThat(status).contains("restricted; still open: " + stillOpen + " (checked ");
            JsonNode json = new ObjectMapper().readTree(status(store, true));
            assertThat(json.get("network_state").asText()).isEqualTo("restricted");
            assertThat(json.get("still_open").get("channels")).extracting(JsonNode::asText).containsExactly("tcp/" + open, "udp/" + udp);

            // The foreign site answers again: online, a change, so the helper is checked once more.
            names.put("abroad.test", List.of(PUBLIC));
            assertThat(agent.sweepOnce().network()).isEqualTo(NetworkState.ONLINE);
            assertThat(portFilteringRecords(store)).hasSize(2);
            assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
                    .contains("port filtering: open: " + stillOpen + "; closed: tcp/" + cut);
            assertThat(status(store, false)).doesNotContain("still open");
            // Online, as before, well within tests.portfiltering.interval (6h): no check.
            assertThat(agent.sweepOnce().network()).isEqualTo(NetworkState.ONLINE);
            assertThat(portFilteringRecords(store)).hasSize(2);
        } finally {
            sinkLog.detachAppender(log);
            sinkLog.setLevel(level);
        }
    }

    private static List<JsonNode> portFilteringRecords(Path store) throws Exception {
        List<JsonNode> out = new java.util.ArrayList<>();
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + store);
                var r = c.createStatement().executeQuery("SELECT category, json FROM measurements WHERE test_name = 'portfiltering' ORDER BY id")) {
            while (r.next()) {
                assertThat(r.getString(1)).isEqualTo("ANON");
                out.add(new ObjectMapper().readTree(r.getString(2)));
            }
        }
        return out;
    }

    private static String status(Path store, boolean json) {
        java.io.StringWriter out = new java.io.StringWriter();
        List<String> args = new java.util.ArrayList<>(List.of("status", "--store", store.toString(), "--metrics-listen", "127.0.0.1:1"));
        if (json) args.add("--json");
        org.blockwatch.agent.cli.Main.run(new java.io.PrintWriter(out), new java.io.PrintWriter(new java.io.StringWriter()), args.toArray(String[]::new));
        return out.toString();
    }

    private static String metrics(Agent agent) throws Exception {
        HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.metricsAddress().getPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }
}
