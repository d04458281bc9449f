package org.blockwatch.agent.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.blockwatch.helper.ControlServer;
import org.blockwatch.agent.store.MeasurementStore;
import org.blockwatch.helper.ControlService;
import org.blockwatch.core.dns.ResolverAddress;
import org.blockwatch.core.engine.EngineConfig;
import org.blockwatch.core.engine.WebEngine;
import org.blockwatch.core.ip.Bogons;
import org.blockwatch.sim.DnsBehaviour;
import org.blockwatch.sim.SimDnsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent as its own process, as a volunteer's machine runs it: stopped by SIGTERM, killed by SIGKILL. */
class AgentProcessTest {
    private static final Pattern METRICS = Pattern.compile("metrics http://127\\.0\\.0\\.1:(\\d+)/metrics");
    private static final String BIG_PAGE = "<html><head><title>Local news</title></head><body>" + "news ".repeat(40_000) + "</body></html>";
    @TempDir
    Path tmp;
    private SimDnsServer dns;
    private MockWebServer web;
    private WebEngine controlEngine;
    private ControlServer control;
    private final List<Process> children = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        dns = new SimDnsServer().otherwise(DnsBehaviour.answer("127.100.0.1"));
        web = new MockWebServer();
        web.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                // A page larger than the agent's body limit (BIG bytes, a title first).
                if (request.getUrl().encodedPath().equals("/big")) return new MockResponse.Builder().body(BIG_PAGE).build();
                // Slow enough that a sweep is still going when the test strikes.
                return new MockResponse.Builder().headersDelay(150, TimeUnit.MILLISECONDS).body("<title>Local news</title>").build();
            }
        });
        web.start(InetAddress.getByName("127.100.0.1"), 0);
        controlEngine = new WebEngine(EngineConfig.defaults().withResolver(ResolverAddress.parse(dns.address()))
                .withStepTimeout(Duration.ofSeconds(2)).withDnsLateWindow(Duration.ofMillis(50)));
        control = new ControlServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new ControlService(controlEngine, Bogons.DEFAULT),
                new ControlServer.Limits(64, 100_000, null));
    }

    @AfterEach
    void stop() throws Exception {
        for (Process p : children) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        control.close();
        controlEngine.close();
        web.close();
        dns.close();
    }

    private Path config(int targets) throws IOException {
        return config(targets, "/", 2, "2s", "");
    }

    /** {@code targets} sites at {@code path}, {@code concurrency} at a time, with {@code measurement} lines added. */
    private Path config(int targets, String path, int concurrency, String timeout, String measurement) throws IOException {
        StringBuilder list = new StringBuilder("url,category_code,category_description,date_added,source,notes\n");
        for (int i = 0; i < targets; i++) {
            list.append("http://site").append(i).append(".test:").append(web.getPort()).append(path).append(",NEWS,News Media,2026-01-01,test,\n");
        }
        Path csv = Files.writeString(tmp.resolve("targets.csv"), list);
        return Files.writeString(tmp.resolve("config.yaml"), String.join("\n",
                "targets:",
                "  lists: [" + csv + "]",
                // The loopback sites only: the apps and dnscheck, on by default, would contact Telegram's data centres, public resolvers...
                "tests:",
                "  enabled: [web_connectivity]",
                "schedule:",
                "  interval: 1m",
                "  jitter: 0s",
                "  concurrency: " + concurrency,
                "measurement:",
                "  timeout: " + timeout,
                measurement,
                "  resolver: " + dns.address(),
                "  extra_resolvers: []   # Cloudflare's DoH, asked beside every page by default, is not on loopback",
                "control:",
                "  helpers: [http://127.0.0.1:" + control.address().getPort() + "/]",
                "metrics:",
                "  listen: 127.0.0.1:0",
                "store:",
                "  path: " + tmp.resolve("store.db"),
                "network:",
                "  asn: AS64500",
                "  country: KZ",
                "lab:",
                "  public_ranges: [127.100.0.0/16]",
                ""));
    }

    /** A child agent and the lines of its stderr. */
    private record Child(Process process, List<String> log) {
        int metricsPort() {
            for (String line : log) {
                Matcher m = METRICS.matcher(line);
                if (m.find()) return Integer.parseInt(m.group(1));
            }
            return -1;
        }
    }

    private Child startAgent(Path config) throws IOException {
        return startAgent(config, "-Xmx256m");
    }

    private Child startAgent(Path config, String... jvmOptions) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.blockwatch.agent.cli.Main", "run", "--config", config.toString(),
                "--accept-consent"));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("XDG_CONFIG_HOME", tmp.resolve("xdg-config").toString());
        pb.environment().put("XDG_DATA_HOME", tmp.resolve("xdg-data").toString());
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        children.add(p);
        List<String> log = new CopyOnWriteArrayList<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) log.add(line);
            } catch (IOException ended) {
                // the child is gone
            }
        });
        return new Child(p, log);
    }

    private static String metrics(int port) {
        try {
            return HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build()
                    .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }

    private static long count(Path store) {
        if (!Files.exists(store)) return 0;
        try (StoreReader r = new StoreReader(store)) {
            return r.count();
        } catch (Exception e) {
            return 0; // the schema may not be there yet
        }
    }

    @Test
    void sigtermStopsTheAgentWithExitZeroWithinFiveSeconds() throws Exception {
        Child agent = startAgent(config(6));
        Await.until(Duration.ofSeconds(60), "the agent's metrics address in its log", () -> agent.metricsPort() > 0 || !agent.process().isAlive());
        assertThat(agent.process().isAlive()).as(String.join("\n", agent.log())).isTrue();
        Await.until(Duration.ofSeconds(60), "a completed sweep", () ->
                metrics(agent.metricsPort()).matches("(?s).*blockwatch_sweep_last_completed_timestamp_seconds \\d.*"));
        String m = metrics(agent.metricsPort());
        assertThat(m).contains("blockwatch_target_state{category=\"NEWS\",method=\"none\",state=\"accessible\",target=\"http://site0.test:" + web.getPort() + "/\"} 1");

        long start = System.nanoTime();
        agent.process().destroy(); // SIGTERM
        assertThat(agent.process().waitFor(5, TimeUnit.SECONDS)).as("stopped within 5 s").isTrue();
        assertThat(agent.process().exitValue()).as(String.join("\n", agent.log())).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(count(tmp.resolve("store.db"))).isGreaterThanOrEqualTo(6);
    }

    @Test
    void sigkillInTheMiddleOfSweepsLosesNoCommittedMeasurement() throws Exception {
        Path config = config(20);
        Path store = tmp.resolve("store.db");
        long before = 0;
        for (int round = 0; round < 3; round++) {
            Child agent = startAgent(config);
            long floor = before;
            Await.until(Duration.ofSeconds(60), "new measurements in round " + round, () -> count(store) >= floor + 3 || !agent.process().isAlive());
            assertThat(agent.process().isAlive()).as(String.join("\n", agent.log())).isTrue();
            long committed = count(store); // everything counted here was committed
            agent.process().destroyForcibly(); // SIGKILL, mid-sweep
            assertThat(agent.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
            try (StoreReader r = new StoreReader(store)) {
                assertThat(r.integrity()).isEqualTo("ok");
                assertThat(r.count()).isGreaterThanOrEqualTo(committed);
                before = r.count();
            }
            try (MeasurementStore reopened = MeasurementStore.open(store)) {
                assertThat(reopened.count()).isEqualTo(before);
            }
        }
        assertThat(before).isGreaterThanOrEqualTo(9);
    }

    @Test
    void withTheMostMeasurementsAtOnceAndPagesAtTheBodyLimitEveryMeasurementIsStored() throws Exception {
        // The agent's own heap and collector (scripts/jvm-options.sh), 64 at a time (the most the
        // settings allow), and a body limit near the largest that heap is allowed at 64 at a time
        // (32 MiB + 6 x 64 x 150 KiB = 88 MiB of about 92): every page is over it, cut at it.
        Path config = config(100, "/big", 64, "20s", "  body_limit: 150KiB");
        Child agent = startAgent(config, "-Xmx96m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError");
        Await.until(Duration.ofMinutes(4), "the first sweep's end", () ->
                agent.log().stream().anyMatch(l -> l.contains("sweep: 100 measured, ")) || !agent.process().isAlive());
        assertThat(agent.process().isAlive()).as(String.join("\n", agent.log())).isTrue();
        agent.process().destroy();
        assertThat(agent.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(agent.process().exitValue()).as(String.join("\n", agent.log())).isZero();
        try (StoreReader r = new StoreReader(tmp.resolve("store.db"))) {
            var states = r.statesByTarget();
            assertThat(states).as("every target stored").hasSize(100);
            // Each first state is confirmed by a second measurement, and both are stored.
            assertThat(states.values()).allSatisfy(s -> assertThat(s).hasSizeGreaterThanOrEqualTo(2).containsOnly("accessible"));
            assertThat(r.countMentioning("unknown_failure")).isZero();
        }
        assertThat(agent.log()).noneMatch(l -> l.contains("OutOfMemoryError"));
    }
}
