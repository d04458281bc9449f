package org.blockwatch.agent.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.blockwatch.helper.ControlServer;
import org.blockwatch.agent.schedule.Sweeper;
import org.blockwatch.agent.store.MeasurementStore;
import org.blockwatch.agent.targets.Target;
import org.blockwatch.core.control.ControlClient;
import org.blockwatch.helper.ControlService;
import org.blockwatch.core.dns.ResolverAddress;
import org.blockwatch.core.engine.EngineConfig;
import org.blockwatch.core.engine.TargetUrl;
import org.blockwatch.core.engine.WebEngine;
import org.blockwatch.core.ip.AddressRange;
import org.blockwatch.core.ip.Bogons;
import org.blockwatch.core.tls.TrustRoots;
import org.blockwatch.core.verdict.Analyzer;
import org.blockwatch.sim.CensoredPath;
import org.blockwatch.sim.CertificateAuthority;
import org.blockwatch.sim.DnsBehaviour;
import org.blockwatch.sim.Fault;
import org.blockwatch.sim.FaultServer;
import org.blockwatch.sim.SimDnsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.blockwatch.agent.upload.Uploader;
import org.blockwatch.collector.CollectorServer;
import org.blockwatch.collector.CollectorStore;
import org.blockwatch.sim.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.blockwatch.agent.settings.Keys;
import org.blockwatch.agent.settings.ProbeFactory;
import org.blockwatch.agent.settings.Settings;
import org.blockwatch.core.verdict.Verdict.Status;

/** The agent in this JVM against a loopback world: sweeps, /metrics, the store, a restart, an outage. */
class AgentTest {
    private static final String PUBLIC = "127.100.0.1";
    @TempDir
    Path tmp;
    private final CertificateAuthority ca = CertificateAuthority.root("CN=agent test root");
    private SimDnsServer isp;
    private SimDnsServer honest;
    private MockWebServer site;
    private MockWebServer blocked;
    private FaultServer reset;
    private ControlServer control;
    private WebEngine controlEngine;
    private final CensoredPath path = new CensoredPath();
    private int ispPort;
    private int honestPort;
    private int controlPort;

    @BeforeEach
    void start() throws Exception {
        isp = new SimDnsServer().otherwise(DnsBehaviour.answer(PUBLIC));
        honest = new SimDnsServer().otherwise(DnsBehaviour.answer(PUBLIC));
        ispPort = isp.socketAddress().getPort();
        honestPort = honest.socketAddress().getPort();
        site = https(0);
        blocked = https(0);
        reset = new FaultServer(Fault.RESET_ON_FIRST_DATA);
        path.detour(PUBLIC, blocked.getPort(), reset.port());
        startControl(0);
        controlPort = control.address().getPort();
    }

    private MockWebServer https(int port) throws IOException {
        MockWebServer s = new MockWebServer();
        s.useHttps(ca.issue("news.test", "blocked.test").serverContext().getSocketFactory());
        s.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().body("<title>News of the day</title>" + "text ".repeat(100)).build();
            }
        });
        s.start(InetAddress.getByName(PUBLIC), port);
        return s;
    }

    private void startControl(int port) throws IOException {
        controlEngine = new WebEngine(EngineConfig.defaults().withResolver(ResolverAddress.parse(honest.address()))
                .withExtraRoots(List.of(ca.certificate())).withStepTimeout(Duration.ofMillis(1500)).withDnsLateWindow(Duration.ofMillis(100)));
        control = new ControlServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                new ControlService(controlEngine, Bogons.DEFAULT), new ControlServer.Limits(8, 10_000, null));
    }

    @AfterEach
    void stop() throws Exception {
        stopResolversAndControl();
        site.close();
        blocked.close();
        reset.close();
    }

    /**
     * The probe's uplink is cut: its resolver and the control server stop. With no address and no
     * control, nothing answers. (The web servers stay up: a listening port cannot be taken back
     * reliably while the old server's last connections linger, and without DNS they are out of reach.)
     */
    private void stopResolversAndControl() throws IOException {
        if (control != null) control.close();
        if (controlEngine != null) controlEngine.close();
        isp.close();
        honest.close();
    }

    private void restoreResolversAndControl() throws IOException {
        isp = new SimDnsServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), ispPort)).otherwise(DnsBehaviour.answer(PUBLIC));
        honest = new SimDnsServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), honestPort)).otherwise(DnsBehaviour.answer(PUBLIC));
        startControl(controlPort);
    }

    private String siteUrl() {
        return "https://news.test:" + site.getPort() + "/";
    }

    private String blockedUrl() {
        return "https://blocked.test:" + blocked.getPort() + "/";
    }

    private Agent agent(Path store) throws Exception {
        return agent(store, null);
    }

    private Agent agent(Path store, String collector) throws Exception {
        return agent(store, collector, List.of());
    }

    /** The agent over the two sites and {@code more} targets. */
    private Agent agent(Path store, String collector, List<Target> more) throws Exception {
        return agent(store, collector, more, loopbackApps());
    }

    /**
     * The apps on this test's servers (never their real endpoints): Telegram's data centre the
     * sites' address (nothing listens there on 80 or 443), its web client the news site.
     */
    private org.blockwatch.agent.settings.Apps loopbackApps() {
        return new org.blockwatch.agent.settings.Apps(new org.blockwatch.core.telegram.Telegram.Endpoints(List.of(PUBLIC), siteUrl()),
                new org.blockwatch.core.whatsapp.WhatsApp.Endpoints(List.of("news.test"), siteUrl(), siteUrl()),
                new org.blockwatch.core.signal.Signal.Endpoints(List.of(siteUrl()), "news.test", List.of(ca.certificate())),
                new org.blockwatch.core.messenger.FacebookMessenger.Endpoints(
                        List.of(new org.blockwatch.core.messenger.FacebookMessenger.Service("b_api", "news.test")), List.of(AddressRange.parse(PUBLIC + "/32"))));
    }

    private Agent agent(Path store, String collector, List<Target> more, org.blockwatch.agent.settings.Apps apps) throws Exception {
        Settings settings = Settings.defaults().with(Keys.METRICS_LISTEN, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .with(Keys.ASN, "AS64500").with(Keys.COUNTRY, "KZ") /* stated: nothing is looked up */
                .with(Keys.UPLOAD_COLLECTOR, collector);
        List<Target> targets = new java.util.ArrayList<>(List.of(new Target(TargetUrl.parse(siteUrl()), "NEWS", "News Media", "test"),
                new Target(TargetUrl.parse(blockedUrl()), "NEWS", "News Media", "test")));
        targets.addAll(more);
        EngineConfig engine = EngineConfig.defaults().withResolver(ResolverAddress.parse(isp.address()))
                .withExtraRoots(List.of(ca.certificate())).withStepTimeout(Duration.ofMillis(1500)).withDnsLateWindow(Duration.ofMillis(200))
                .withSockets(path);
        ControlClient client = new ControlClient(List.of("http://127.0.0.1:" + controlPort + "/"), Duration.ofSeconds(10),
                Duration.ofSeconds(20), TrustRoots.jdkPlus(List.of()), null);
        Analyzer analyzer = Analyzer.standard(new Bogons(List.of(AddressRange.parse("127.100.0.0/16"))));
        return new Agent(settings, targets, new ProbeFactory.Parts(engine, TrustRoots.jdkPlus(engine.extraRoots()), client, analyzer, apps),
                MeasurementStore.open(store), "test");
    }

    @Test
    void everyMeasurementOfASweepReachesTheCollectorOnceUnderOneReport(@TempDir Path tmp) throws Exception {
        if (!PostgresServer.available()) {
            if ("true".equals(System.getenv("CI"))) throw new AssertionError("CI needs Debian's postgresql (.ci/run installs it)");
            org.junit.jupiter.api.Assumptions.abort("no PostgreSQL on this machine (apt-get install postgresql)");
        }
        try (PostgresServer pg = PostgresServer.start(); CollectorStore db = new CollectorStore(pg.jdbcUrl(), 2);
                CollectorServer collector = new CollectorServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), db,
                        new CollectorServer.Limits(4 << 20, 10_000, java.util.Map.of()));
                Agent agent = agent(tmp.resolve("store.db"), "http://127.0.0.1:" + collector.address().getPort() + "/")) {
            agent.sweepOnce();
            Uploader.Pass pass = agent.uploader().uploadDue();
            List<String> uids = new java.util.ArrayList<>();
            try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("store.db"));
                    var r = c.createStatement().executeQuery("SELECT measurement_uid FROM measurements")) {
                while (r.next()) uids.add(r.getString(1));
            }
            assertThat(uids).isNotEmpty();
            assertThat(pass.sent()).as("the agent's real measurements pass the collector's checks").isEqualTo(uids.size());
            List<String> stored = new java.util.ArrayList<>();
            try (var c = java.sql.DriverManager.getConnection(pg.jdbcUrl());
                    var r = c.createStatement().executeQuery("SELECT measurement_uid, probe_asn, status FROM measurements")) {
                while (r.next()) {
                    stored.add(r.getString(1));
                    assertThat(r.getString(2)).isEqualTo("AS64500");
                    assertThat(r.getString(3)).isIn("accessible", "blocked");
                }
            }
            assertThat(stored).containsExactlyInAnyOrderElementsOf(uids);
            assertThat(metrics(agent)).contains("blockwatch_upload_queue_length 0.0");
        }
    }

    /**
     * Another kind of measurement goes everywhere a web page goes, through the same seam: a STUN
     * server (stunreachability) is measured in the sweep, stored, counted in the metrics under its
     * input, uploaded to the collector and exported, with no code of the schedule, the sink, the
     * store, the uploader or the exporter knowing the kind.
     */
    @Test
    void aStunServerIsMeasuredStoredCountedUploadedAndExportedLikeAPage(@TempDir Path tmp) throws Exception {
        if (!PostgresServer.available()) {
            if ("true".equals(System.getenv("CI"))) throw new AssertionError("CI needs Debian's postgresql (.ci/run installs it)");
            org.junit.jupiter.api.Assumptions.abort("no PostgreSQL on this machine (apt-get install postgresql)");
        }
        try (org.blockwatch.sim.SimStunServer stun = new org.blockwatch.sim.SimStunServer(InetAddress.getLoopbackAddress(), java.util.Set.of());
                PostgresServer pg = PostgresServer.start(); CollectorStore db = new CollectorStore(pg.jdbcUrl(), 2);
                CollectorServer collector = new CollectorServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), db,
                        new CollectorServer.Limits(4 << 20, 10_000, java.util.Map.of()))) {
            String input = "stun://127.0.0.1:" + stun.address().getPort();
            Target target = new Target(org.blockwatch.core.stun.StunReachability.TEST_NAME, input, "COMT", "Communication Tools", "test", false);
            Path store = tmp.resolve("store.db");
            try (Agent agent = agent(store, "http://127.0.0.1:" + collector.address().getPort() + "/", List.of(target))) {
                agent.sweepOnce();
                assertThat(agent.sweeper().published().get(input).state()).isEqualTo(Status.ACCESSIBLE);
                assertThat(metrics(agent)).contains("blockwatch_target_state{category=\"COMT\",method=\"none\",state=\"accessible\",target=\"" + input + "\"}")
                        .contains("blockwatch_measurements_total{method=\"none\",state=\"accessible\",test_name=\"stunreachability\"}");
                assertThat(agent.uploader().uploadDue().rejected()).isZero();
            }
            try (var c = java.sql.DriverManager.getConnection(pg.jdbcUrl());
                    var r = c.createStatement().executeQuery("SELECT status, doc->>'test_name' FROM measurements WHERE input = '" + input + "'")) {
                assertThat(r.next()).as("the STUN measurement reached the collector").isTrue();
                assertThat(r.getString(1)).isEqualTo("accessible");
                assertThat(r.getString(2)).isEqualTo("stunreachability");
            }
            java.io.StringWriter out = new java.io.StringWriter();
            new org.blockwatch.agent.export.Exporter(List.of(store), new org.blockwatch.agent.export.ExportQuery(null, null, List.of(input), List.of(),
                    List.of(), Duration.ofHours(3)), org.blockwatch.agent.export.Exporter.Format.OONI_JSONL).writeTo(out);
            assertThat(out.toString().lines().toList()).isNotEmpty().allSatisfy(line -> assertThat(line)
                    .contains("\"test_name\":\"stunreachability\"", "\"test_version\":\"0.4.0\"", "\"endpoint\":\"127.0.0.1:" + stun.address().getPort()));
        }
    }

    /**
     * Issue 30: an app goes where a target goes. Telegram, enabled by tests.enabled's default, is
     * one target labelled "telegram": measured in the sweep at the configured endpoints (here this
     * test's servers), stored under that target with its test name, counted in the metrics with
     * target="telegram" (within the per-target series budget) and test_name="telegram", shown by
     * status, and exported as OONI's document.
     */
    @Test
    void anAppIsMeasuredStoredCountedShownAndExportedLikeATarget(@TempDir Path tmp) throws Exception {
        Target telegram = org.blockwatch.agent.settings.Tests.targets(Settings.defaults(), List.of()).stream()
                .filter(t -> t.testName().equals("telegram")).findFirst().orElseThrow();
        assertThat(telegram.label()).isEqualTo("telegram");
        Path store = tmp.resolve("store.db");
        try (Agent agent = agent(store, null, List.of(telegram))) {
            agent.sweepOnce();
            String metrics = metrics(agent);
            assertThat(metrics).containsPattern("blockwatch_measurements_total\\{method=\"[^\"]*\",state=\"[a-z]+\",test_name=\"telegram\"\\} [1-9]")
                    .contains("blockwatch_target_last_measured_timestamp_seconds{category=\"COMT\",target=\"telegram\"}")
                    .containsPattern("blockwatch_target_state\\{category=\"COMT\",method=\"[^\"]*\",state=\"[a-z]+\",target=\"telegram\"\\} 1");
            assertThat(metrics.lines().filter(l -> !l.startsWith("#") && l.contains("target=\"telegram\"")).count())
                    .as("an app within the per-target series budget").isBetween(2L, (long) org.blockwatch.agent.metrics.AgentMetrics.SERIES_PER_TARGET);
            assertThat(agent.sweeper().published()).containsKey("telegram");
        }
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + store);
                var r = c.createStatement().executeQuery("SELECT target, test_name, category, json FROM measurements WHERE test_name = 'telegram'")) {
            assertThat(r.next()).as("the app's measurement is stored").isTrue();
            assertThat(r.getString(1)).isEqualTo("telegram");
            assertThat(r.getString(3)).isEqualTo("COMT");
            assertThat(r.getString(4)).contains("\"test_name\":\"telegram\"", "\"test_version\":\"0.3.1\"", "\"input\":null",
                    "\"telegram_tcp_blocking\":", "\"telegram_web_status\":\"ok\"", "\"x_verdict\":", "\"x_control\":");
        }
        java.io.StringWriter out = new java.io.StringWriter();
        int exit = org.blockwatch.agent.cli.Main.run(new java.io.PrintWriter(out), new java.io.PrintWriter(new java.io.StringWriter()),
                "status", "--store", store.toString(), "--metrics-listen", "127.0.0.1:1", "--json");
        assertThat(exit).as(out.toString()).isEqualTo(3); // the agent is not running
        assertThat(out.toString()).contains("\"target\":\"telegram\"", "\"category\":\"COMT\"");
        java.io.StringWriter csv = new java.io.StringWriter();
        new org.blockwatch.agent.export.Exporter(List.of(store), new org.blockwatch.agent.export.ExportQuery(null, null, List.of("telegram"), List.of(),
                List.of(), Duration.ofHours(3)), org.blockwatch.agent.export.Exporter.Format.TIMELINE_CSV).writeTo(csv);
        assertThat(csv.toString().lines().skip(1).toList()).isNotEmpty().allSatisfy(l -> assertThat(l).startsWith("telegram,COMT,AS64500,KZ,"));
        java.io.StringWriter jsonl = new java.io.StringWriter();
        new org.blockwatch.agent.export.Exporter(List.of(store), new org.blockwatch.agent.export.ExportQuery(null, null, List.of("telegram"), List.of(),
                List.of(), Duration.ofHours(3)), org.blockwatch.agent.export.Exporter.Format.OONI_JSONL).writeTo(jsonl);
        assertThat(jsonl.toString().lines().toList()).isNotEmpty().allSatisfy(l -> assertThat(l).contains("\"test_name\":\"telegram\""));
    }

    private static String metrics(Agent agent) throws Exception {
        HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
        InetSocketAddress a = agent.metricsAddress();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.getPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private static String state(String target, String state) {
        // The blocked site of these tests is blocked by TLS; a target not blocked has method none.
        return "blockwatch_target_state{category=\"NEWS\",method=\"" + (state.equals("blocked") ? "tls" : "none") + "\",state=\"" + state
                + "\",target=\"" + target + "\"} 1";
    }

    @Test
    void aSweepIsMeasuredStoredAndExposedAndARestartKeepsTheStates() throws Exception {
        Path store = tmp.resolve("store.db");
        String siteUrl = siteUrl();
        String blockedUrl = blockedUrl();
        try (Agent agent = agent(store)) {
            // alerts32: before any measurement, every counter an alert takes increase() of is there at 0.
            assertThat(metrics(agent)).contains("blockwatch_flags_total{flag=\"tls_mitm_government_root\"} 0.0",
                    "blockwatch_measurements_total{method=\"tls\",state=\"blocked\",test_name=\"web_connectivity\"} 0.0",
                    "blockwatch_uploads_total{result=\"retry\"} 0.0", "blockwatch_store_errors_total{kind=\"measurement\"} 0.0");
            Sweeper.Result r = agent.sweepOnce();
            assertThat(r.online()).isTrue();
            String m = metrics(agent);
            assertThat(m).contains(state(siteUrl, "accessible"), state(blockedUrl, "blocked"));
            assertThat(m).contains("blockwatch_network_online 1", "blockwatch_control_up 1", "blockwatch_build_info{version=\"test\"} 1");
            assertThat(m).contains("blockwatch_step_duration_seconds_bucket", "blockwatch_measurements_total", "jvm_memory_used_bytes");
            assertThat(m).containsPattern("# HELP blockwatch_target_state .+");
            // A new state is confirmed by a second measurement before it is published: two per target, all stored.
            try (var s = new StoreReader(store)) {
                assertThat(s.count()).isEqualTo(4);
            }
            promtoolCheck(m);
        }
        try (Agent restarted = agent(store)) {
            // Before any sweep: the states come back from the store.
            assertThat(metrics(restarted)).contains(state(siteUrl, "accessible"), state(blockedUrl, "blocked"));
            assertThat(restarted.sweeper().published().get(siteUrl).state()).isEqualTo(Status.ACCESSIBLE);
        }
    }

    @Test
    void anOutageOfTheProbesOwnNetworkBlocksNothingAndItsEndIsNoticed() throws Exception {
        Path store = tmp.resolve("store.db");
        String siteUrl = siteUrl();
        try (Agent agent = agent(store)) {
            agent.sweepOnce();
            assertThat(metrics(agent)).contains(state(siteUrl, "accessible"), "blockwatch_network_online 1");

            stopResolversAndControl();
            Sweeper.Result down = agent.sweepOnce();
            assertThat(down.online()).isFalse();
            String m = metrics(agent);
            assertThat(m).contains("blockwatch_network_online 0", state(siteUrl, "accessible"));
            assertThat(m).doesNotContain(state(siteUrl, "blocked"));
            assertThat(agent.sweeper().published().get(siteUrl).state()).isEqualTo(Status.ACCESSIBLE);

            restoreResolversAndControl();
            Sweeper.Result up = agent.sweepOnce();
            assertThat(up.online()).isTrue();
            assertThat(metrics(agent)).contains("blockwatch_network_online 1", state(siteUrl, "accessible"));
        }
        try (var s = new StoreReader(store)) {
            assertThat(s.networkStates()).containsExactly("offline", "online");
        }
    }

    /** {@code promtool check metrics}: required in CI (CI=true), where .ci/run installs it; elsewhere when installed. */
    static void promtoolCheck(String metrics) throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        Path promtool = java.util.Arrays.stream(System.getenv("PATH").split(":")).map(d -> Path.of(d, "promtool")).filter(Files::isExecutable).findFirst().orElse(null);
        if (promtool == null) {
            assertThat(ci).as("promtool is installed by .ci/run and must be there in CI").isFalse();
            System.err.println("promtool not installed here: `promtool check metrics` not run (CI runs it)");
            return;
        }
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(metrics.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out.strip()).as("promtool's findings").isEmpty();
    }

    @Test
    void aPausedAgentStartsNoMeasurementAndMeasuresAgainOnceResumedWithoutARestart() throws Exception {
        Path store = tmp.resolve("paused.db");
        try (Agent agent = agent(store)) {
            agent.pause().pauseUntil(null); // as 'blockwatch pause' does, before the agent's first sweep
            java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
            Thread run = Thread.ofPlatform().start(() -> {
                try {
                    agent.runUntil(stop);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            try {
                Await.until(Duration.ofSeconds(30), "the agent to show it is paused", () -> scrape(agent).contains("blockwatch_paused 1"));
                try (MeasurementStore s = MeasurementStore.open(store)) {
                    assertThat(s.count()).isZero();
                }
                agent.pause().resume();
                Await.until(Duration.ofSeconds(60), "a sweep after the resume", () -> scrape(agent).matches("(?s).*blockwatch_sweep_last_completed_timestamp_seconds \\d.*"));
                assertThat(scrape(agent)).contains("blockwatch_paused 0");
            } finally {
                stop.countDown();
                run.join(Duration.ofSeconds(30));
            }
            try (MeasurementStore s = MeasurementStore.open(store)) {
                assertThat(s.count()).isPositive();
            }
        }
    }

    private static String scrape(Agent agent) {
        try {
            return metrics(agent);
        } catch (Exception e) {
            return "";
        }
    }
}
