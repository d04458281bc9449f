package org.blockwatch.agent.metrics;

import org.blockwatch.core.webconnectivity.WebConnectivity;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.blockwatch.core.archival.WebObservation;
import org.blockwatch.core.control.wire.ControlResult;
import org.blockwatch.core.nettest.Measurement;
import org.blockwatch.core.step.StepKind;
import org.blockwatch.core.verdict.Analysis;
import org.blockwatch.core.verdict.Verdict;
import org.blockwatch.core.verdict.Verdict.Method;
import org.blockwatch.core.verdict.Verdict.Status;
import org.junit.jupiter.api.Test;

/** The per-target series and the exposition, read back from what a scraper gets. */
class AgentMetricsTest {
    private static final String TARGET = "https://news.example/";
    private static final Pattern TARGET_LABEL = Pattern.compile("^[a-z_]+\\{[^}]*target=\"([^\"]+)\"", Pattern.MULTILINE);

    private static Measurement measurement(String target, Status status, Method method, List<String> flags) {
        WebObservation o = new WebObservation(target, target, Instant.now(), 0.1, "127.0.0.1:53", List.of(), List.of(), null,
                List.of(), List.of(), List.of(), null, null, List.of(), List.of());
        Verdict v = new Verdict(status, method, flags, "test");
        return WebConnectivity.measurement(o, ControlResult.none("generic_timeout_error"), new Analysis("consistent", null, v));
    }

    private static Map<String, Integer> seriesPerTarget(String exposition) {
        Map<String, Integer> count = new HashMap<>();
        Matcher m = TARGET_LABEL.matcher(exposition);
        while (m.find()) count.merge(m.group(1), 1, Integer::sum);
        return count;
    }

    @Test
    void theFlagsOfTheLastMeasurementAreOneSeriesListingThemAndReplacedWhenTheyChange() {
        try (AgentMetrics metrics = new AgentMetrics("test", "AS0", "ZZ", "test")) {
            metrics.measured(TARGET, "NEWS", measurement(TARGET, Status.BLOCKED, Method.TLS, List.of("tls_mitm", "tls_mitm_government_root",
                    "blockpage:ooni.kg_0")), Instant.now());
            String flags = "blockwatch_target_flags{category=\"NEWS\",flags=\"blockpage,tls_mitm,tls_mitm_government_root\",target=\"" + TARGET + "\"} 3";
            assertThat(metrics.scrape()).contains(flags).contains("blockwatch_flags_total{flag=\"blockpage\"} 1");

            // The next measurement carries no flag: the series is replaced, not kept beside.
            metrics.measured(TARGET, "NEWS", measurement(TARGET, Status.ACCESSIBLE, null, List.of()), Instant.now());
            assertThat(metrics.scrape()).doesNotContain(flags)
                    .contains("blockwatch_target_flags{category=\"NEWS\",flags=\"none\",target=\"" + TARGET + "\"} 0");
            metrics.slowerThanUsual(TARGET, "NEWS", true);
            assertThat(metrics.scrape()).contains("blockwatch_target_flags{category=\"NEWS\",flags=\"slower_than_usual\",target=\"" + TARGET + "\"} 1");
        }
    }

    @Test
    void aFreshAgentHasEveryCountersLabelValuesAtZeroBeforeAnyMeasurement() {
        try (AgentMetrics metrics = new AgentMetrics("test", "AS0", "ZZ", "test")) {
            metrics.measuring(List.of(WebConnectivity.TEST_NAME, "telegram"));
            String fresh = metrics.scrape();
            // increase() over an hour sees the first interception only when the series was there at 0 before it.
            for (Verdict.Flag f : Verdict.Flag.values()) {
                if (f == Verdict.Flag.SLOWER_THAN_USUAL) continue;
                assertThat(fresh).contains("blockwatch_flags_total{flag=\"" + f.label() + "\"} 0.0");
            }
            assertThat(fresh).doesNotContain("blockwatch_flags_total{flag=\"slower_than_usual\"}");
            for (String result : List.of("sent", "rejected", "retry")) assertThat(fresh).contains("blockwatch_uploads_total{result=\"" + result + "\"} 0.0");
            for (String result : List.of("sent", "rejected", "dropped")) {
                assertThat(fresh).contains("blockwatch_remote_write_samples_total{result=\"" + result + "\"} 0.0");
            }
            for (String testName : List.of(WebConnectivity.TEST_NAME, "telegram")) {
                for (Method m : Method.values()) {
                    assertThat(fresh).contains("blockwatch_measurements_total{method=\"" + m.label() + "\",state=\"blocked\",test_name=\"" + testName + "\"} 0.0");
                }
                for (Status s : List.of(Status.ACCESSIBLE, Status.DOWN, Status.INCONCLUSIVE)) {
                    assertThat(fresh).contains("blockwatch_measurements_total{method=\"none\",state=\"" + s.label() + "\",test_name=\"" + testName + "\"} 0.0");
                }
            }
            assertThat(fresh).as("a state never paired with a method").doesNotContain("method=\"none\",state=\"blocked\"");

            metrics.measured(TARGET, "NEWS", measurement(TARGET, Status.BLOCKED, Method.TLS, List.of("tls_mitm_government_root")), Instant.now());
            assertThat(metrics.scrape()).contains("blockwatch_flags_total{flag=\"tls_mitm_government_root\"} 1.0",
                    "blockwatch_flags_total{flag=\"tls_mitm\"} 0.0",
                    "blockwatch_measurements_total{method=\"tls\",state=\"blocked\",test_name=\"web_connectivity\"} 1.0");
        }
    }

    @Test
    void eachFlagATargetCarriesIsASeriesOfItsOwnThatMatchesExactly() {
        try (AgentMetrics metrics = new AgentMetrics("test", "AS0", "ZZ", "test")) {
            metrics.measured(TARGET, "NEWS", measurement(TARGET, Status.BLOCKED, Method.TLS, List.of("tls_mitm_government_root", "blockpage:ooni.kg_0")),
                    Instant.now());
            String text = metrics.scrape();
            assertThat(text).contains("blockwatch_target_flag{category=\"NEWS\",flag=\"tls_mitm_government_root\",target=\"" + TARGET + "\"} 1",
                    "blockwatch_target_flag{category=\"NEWS\",flag=\"blockpage\",target=\"" + TARGET + "\"} 1");
            // flag="tls_mitm" selects only a chain that is intercepted without a government root.
            assertThat(text).doesNotContainPattern("(?m)^blockwatch_target_flag\\{[^}]*flag=\"tls_mitm\"");

            metrics.measured(TARGET, "NEWS", measurement(TARGET, Status.BLOCKED, Method.TLS, List.of("tls_mitm")), Instant.now());
            metrics.slowerThanUsual(TARGET, "NEWS", true);
            text = metrics.scrape();
            assertThat(text).contains("blockwatch_target_flag{category=\"NEWS\",flag=\"tls_mitm\",target=\"" + TARGET + "\"} 1",
                    "blockwatch_target_flag{category=\"NEWS\",flag=\"slower_than_usual\",target=\"" + TARGET + "\"} 1")
                    .doesNotContain("flag=\"tls_mitm_government_root\",target").doesNotContain("flag=\"blockpage\",target");

            // A flag that goes takes its series with it, as a state that changes does.
            metrics.measured(TARGET, "NEWS", measurement(TARGET, Status.ACCESSIBLE, null, List.of()), Instant.now());
            metrics.slowerThanUsual(TARGET, "NEWS", false);
            assertThat(metrics.scrape()).doesNotContain("blockwatch_target_flag{");
        }
    }

    @Test
    void aTargetsStateIsOneSeriesWithItsMethodAndAChangeReplacesIt() {
        try (AgentMetrics metrics = new AgentMetrics("test", "AS0", "ZZ", "test")) {
            metrics.publish(TARGET, "NEWS", Status.BLOCKED, Method.DNS, Instant.ofEpochSecond(1_800_000_000));
            assertThat(metrics.scrape()).contains("blockwatch_target_state{category=\"NEWS\",method=\"dns\",state=\"blocked\",target=\"" + TARGET + "\"} 1")
                    .contains("blockwatch_target_state_changed_timestamp_seconds{category=\"NEWS\",target=\"" + TARGET + "\"} 1.8E9");
            metrics.publish(TARGET, "NEWS", Status.ACCESSIBLE, null, Instant.ofEpochSecond(1_800_000_600));
            assertThat(metrics.scrape()).doesNotContain("state=\"blocked\"")
                    .contains("blockwatch_target_state{category=\"NEWS\",method=\"none\",state=\"accessible\",target=\"" + TARGET + "\"} 1");
        }
    }

    @Test
    void everyTargetStaysWithinItsSeriesBudgetWhateverHappensToIt() {
        try (AgentMetrics metrics = new AgentMetrics("test", "AS0", "ZZ", "test")) {
            for (int i = 0; i < 50; i++) {
                String target = "https://site" + i + ".example/";
                Status[] states = Status.values();
                for (int round = 0; round < states.length; round++) {
                    Status status = states[(i + round) % states.length];
                    Method method = status == Status.BLOCKED ? Method.values()[(i + round) % Method.values().length] : null;
                    metrics.measured(target, "NEWS", measurement(target, status, method, round % 2 == 0 ? List.of("throttled", "dns_bogon") : List.of()),
                            Instant.now());
                    metrics.publish(target, "NEWS", status, method, Instant.now());
                    metrics.slowerThanUsual(target, "NEWS", round % 3 == 0);
                }
            }
            String text = metrics.scrape();
            Map<String, Integer> perTarget = seriesPerTarget(text);
            assertThat(perTarget).hasSize(50);
            // Beside the fixed series, one per flag the target carries now: each target ends with at most 3 (2 measured, slower_than_usual).
            Map<String, Integer> flagSeries = seriesPerTarget(text.lines().filter(l -> l.startsWith("blockwatch_target_flag{"))
                    .collect(java.util.stream.Collectors.joining("\n")));
            assertThat(perTarget).allSatisfy((target, n) -> assertThat(n - flagSeries.getOrDefault(target, 0)).isLessThanOrEqualTo(AgentMetrics.SERIES_PER_TARGET));
            assertThat(flagSeries.values()).allMatch(n -> n <= 3);
        }
    }

    @Test
    void theExpositionHasTheStandardProcessMetricsAndNoMaxSeries() {
        try (AgentMetrics metrics = new AgentMetrics("test", "AS0", "ZZ", "test")) {
            metrics.steps().succeeded(StepKind.TLS_HANDSHAKE, "127.0.0.1:443", Duration.ofMillis(40));
            String text = metrics.scrape();
            assertThat(text).containsPattern("(?m)^process_resident_memory_bytes [0-9.eE+]+$").containsPattern("(?m)^process_cpu_seconds_total [0-9.eE+]+$")
                    .containsPattern("(?m)^jvm_memory_used_bytes\\{area=\"heap\"\\}");
            assertThat(Pattern.compile("(?m)^[a-z_]+_max[{ ]").matcher(text).find()).as("a _max series").isFalse();
        }
    }

    @Test
    void stepDurationsComeFromTheStepListenerAsStepsEnd() {
        try (AgentMetrics metrics = new AgentMetrics("test", "AS0", "ZZ", "test")) {
            metrics.steps().succeeded(StepKind.TLS_HANDSHAKE, "127.0.0.1:443", Duration.ofMillis(40));
            metrics.steps().failed(StepKind.TLS_HANDSHAKE, "127.0.0.1:443", "connection_reset", Duration.ofMillis(5));
            metrics.steps().failed(StepKind.DNS, "site.example", "dns_nxdomain_error", Duration.ofMillis(3));
            assertThat(metrics.scrape()).contains("blockwatch_step_duration_seconds_count{step=\"tls_handshake\"} 2",
                    "blockwatch_step_duration_seconds_count{step=\"dns\"} 1", "blockwatch_step_duration_seconds_count{step=\"tcp_connect\"} 0");
        }
    }

    @Test
    void theNetworksStateIsAStateSetBesideOnline() {
        try (AgentMetrics metrics = new AgentMetrics("test", "AS0", "ZZ", "test")) {
            assertThat(metrics.scrape()).contains("blockwatch_network_state{state=\"online\"} 1", "blockwatch_network_state{state=\"restricted\"} 0");
            metrics.network(org.blockwatch.agent.store.NetworkState.RESTRICTED);
            assertThat(metrics.scrape()).contains("blockwatch_network_state{state=\"restricted\"} 1", "blockwatch_network_state{state=\"online\"} 0",
                    "blockwatch_network_online 1");
            metrics.network(org.blockwatch.agent.store.NetworkState.OFFLINE);
            assertThat(metrics.scrape()).contains("blockwatch_network_state{state=\"offline\"} 1", "blockwatch_network_online 0");
        }
    }

    @Test
    void aResolversInterceptionIsOneSeriesAbsentWhileUnknownAndGoneWhenNoLongerChecked() {
        try (AgentMetrics metrics = new AgentMetrics("test", "AS0", "ZZ", "test")) {
            assertThat(metrics.scrape()).as("no resolver checked yet").doesNotContain("blockwatch_resolver_intercepted");
            metrics.resolvers(List.of(new AgentMetrics.ResolverState("1.1.1.1:53", "udp", true), new AgentMetrics.ResolverState("9.9.9.9:53", "tcp", false)));
            assertThat(metrics.scrape()).contains("# HELP blockwatch_resolver_intercepted 1 while the plain-DNS resolver",
                    "blockwatch_resolver_intercepted{engine=\"udp\",resolver=\"1.1.1.1:53\"} 1",
                    "blockwatch_resolver_intercepted{engine=\"tcp\",resolver=\"9.9.9.9:53\"} 0");
            // 1.1.1.1 answers as itself again; 9.9.9.9's check could not tell (unknown): its series goes, not kept at its last value.
            metrics.resolvers(List.of(new AgentMetrics.ResolverState("1.1.1.1:53", "udp", false)));
            assertThat(metrics.scrape()).contains("blockwatch_resolver_intercepted{engine=\"udp\",resolver=\"1.1.1.1:53\"} 0")
                    .doesNotContain("resolver=\"9.9.9.9:53\"");
        }
    }

    @Test
    void theChannelsOfTheLastPortFilteringCheckReplaceTheOnesBefore() {
        try (AgentMetrics metrics = new AgentMetrics("test", "AS0", "ZZ", "test")) {
            Map<String, Boolean> first = new java.util.LinkedHashMap<>();
            first.put("tcp/443", true);
            first.put("tcp/3785", true);
            first.put("udp/53", true);
            metrics.channels(first);
            assertThat(metrics.scrape()).contains("blockwatch_channel_open{channel=\"tcp/443\"} 1", "blockwatch_channel_open{channel=\"udp/53\"} 1");
            Map<String, Boolean> shutdown = new java.util.LinkedHashMap<>();
            shutdown.put("tcp/443", false);
            shutdown.put("tcp/3785", true);
            metrics.channels(shutdown);
            assertThat(metrics.scrape()).contains("blockwatch_channel_open{channel=\"tcp/443\"} 0", "blockwatch_channel_open{channel=\"tcp/3785\"} 1")
                    .doesNotContain("channel=\"udp/53\"");
        }
    }

    @Test
    void theServerGzipsWhenAskedAndSpeaksOpenMetricsWhenAsked() throws Exception {
        try (AgentMetrics metrics = new AgentMetrics("test", "AS0", "ZZ", "test");
                MetricsServer server = new MetricsServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), metrics)) {
            metrics.publish(TARGET, "NEWS", Status.BLOCKED, Method.TLS, Instant.now());
            HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
            URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + "/metrics");
            HttpResponse<byte[]> zipped = http.send(HttpRequest.newBuilder(uri).header("Accept-Encoding", "gzip").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(zipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
            String text = gunzip(zipped.body());
            assertThat(text).contains("blockwatch_target_state{").doesNotContain("# EOF");
            assertThat(zipped.body().length).isLessThan(text.length() / 3);

            HttpResponse<String> open = http.send(HttpRequest.newBuilder(uri)
                    .header("Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(open.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/openmetrics-text"));
            assertThat(open.body()).endsWith("# EOF\n").contains("blockwatch_target_state{");
            HttpResponse<String> plain = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
            assertThat(plain.headers().firstValue("Content-Type")).hasValue(MetricsServer.TEXT);
        }
    }

    private static String gunzip(byte[] data) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
