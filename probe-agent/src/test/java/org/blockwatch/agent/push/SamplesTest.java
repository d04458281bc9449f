package org.blockwatch.agent.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.blockwatch.agent.metrics.AgentMetrics;
import org.blockwatch.core.step.StepKind;
import org.blockwatch.core.verdict.Verdict.Method;
import org.blockwatch.core.verdict.Verdict.Status;
import org.junit.jupiter.api.Test;

/** The registry's samples are the series a scrape gives: same names, same labels, same values. */
class SamplesTest {
    /** Target URLs as a list may hold them: quotes, backslashes, a newline, a brace, non-ASCII. */
    static final List<String> AWKWARD = List.of("https://a.example/?q=\"x\"\\n\nend", "https://b.example/қазақ\\", "https://c.example/\\\"}{",
            "https://d.example/a,b=c");

    @Test
    void everySeriesOfTheTextExpositionIsASampleOfTheRegistryWithItsValue() {
        try (AgentMetrics metrics = new AgentMetrics("test", "AS9198", "KZ", "home")) {
            metrics.measuring(List.of("web_connectivity"));
            for (String target : AWKWARD) metrics.publish(target, "NEWS", Status.BLOCKED, Method.TLS, Instant.ofEpochSecond(1_800_000_000));
            metrics.steps().succeeded(StepKind.TLS_HANDSHAKE, "x", Duration.ofMillis(40));
            metrics.steps().succeeded(StepKind.TLS_HANDSHAKE, "x", Duration.ofMillis(700));
            metrics.uploaded("sent");

            Map<String, Double> fromRegistry = byKey(Samples.of(metrics.snapshot()));
            Map<String, Double> fromText = byKey(parse(metrics.scrape()));
            assertThat(fromRegistry.keySet()).containsExactlyInAnyOrderElementsOf(fromText.keySet());
            // The agent's own series hold still between the two; the process's (CPU, memory) do not.
            fromText.forEach((key, value) -> {
                if (key.contains("__name__=blockwatch_")) assertThat(fromRegistry.get(key)).as(key).isEqualTo(value);
            });
            assertThat(fromRegistry).containsEntry(key("blockwatch_step_duration_seconds_bucket", "le", "0.5", "step", "tls_handshake"), 1.0)
                    .containsEntry(key("blockwatch_step_duration_seconds_bucket", "le", "1.0", "step", "tls_handshake"), 2.0)
                    .containsEntry(key("blockwatch_step_duration_seconds_bucket", "le", "+Inf", "step", "tls_handshake"), 2.0)
                    .containsEntry(key("blockwatch_step_duration_seconds_count", "step", "tls_handshake"), 2.0)
                    .containsEntry(key("blockwatch_uploads_total", "result", "sent"), 1.0)
                    .containsEntry(key("blockwatch_build_info", "version", "test"), 1.0);
            assertThat(Samples.of(metrics.snapshot()).stream().filter(s -> s.labels().get("__name__").equals("blockwatch_target_state"))
                    .map(s -> s.labels().get("target"))).containsExactlyInAnyOrderElementsOf(AWKWARD);
        }
    }

    @Test
    void aSummaryGivesItsQuantilesCountAndSum() {
        PrometheusRegistry registry = new PrometheusRegistry();
        Summary s = Summary.builder().withoutExemplars().name("x_seconds").help("x").quantile(0.5, 0.01).register(registry);
        s.observe(2);
        MetricSnapshots snapshot = registry.scrape();
        assertThat(byKey(Samples.of(snapshot))).containsOnlyKeys(key("x_seconds", "quantile", "0.5"), key("x_seconds_count"), key("x_seconds_sum"))
                .containsEntry(key("x_seconds_count"), 1.0).containsEntry(key("x_seconds_sum"), 2.0);
    }

    @Test
    void addedLabelsNeverReplaceASeriesOwn() {
        Series s = new Series(new TreeMap<>(Map.of("__name__", "blockwatch_probe_info", "asn", "AS9198")), 1);
        assertThat(s.with(Map.of("asn", "AS1", "instance", "p1")).labels()).containsEntry("asn", "AS9198").containsEntry("instance", "p1");
    }

    private static String key(String name, String... labels) {
        TreeMap<String, String> all = new TreeMap<>();
        all.put("__name__", name);
        for (int i = 0; i < labels.length; i += 2) all.put(labels[i], labels[i + 1]);
        return all.toString();
    }

    private static Map<String, Double> byKey(List<Series> series) {
        return series.stream().collect(Collectors.toMap(Series::key, Series::value));
    }

    /** The text exposition (format 0.0.4) read back: the oracle the registry's samples are held to (remote write read it so until issue 32). */
    static List<Series> parse(String exposition) {
        List<Series> out = new ArrayList<>();
        for (String line : exposition.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) continue;
            TreeMap<String, String> labels = new TreeMap<>();
            int i = 0;
            while (line.charAt(i) != '{' && line.charAt(i) != ' ') i++;
            labels.put("__name__", line.substring(0, i));
            if (line.charAt(i) == '{') {
                i++;
                while (line.charAt(i) != '}') {
                    int eq = line.indexOf('=', i);
                    StringBuilder value = new StringBuilder();
                    int j = eq + 2;
                    for (char c; (c = line.charAt(j)) != '"'; j++) {
                        if (c == '\\') {
                            char next = line.charAt(++j);
                            value.append(next == 'n' ? '\n' : next);
                        } else {
                            value.append(c);
                        }
                    }
                    labels.put(line.substring(i, eq).trim(), value.toString());
                    i = j + 1;
                    if (line.charAt(i) == ',') i++;
                }
                i++;
            }
            String v = line.substring(i).trim().split(" ")[0];
            out.add(new Series(labels, switch (v) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                case "NaN" -> Double.NaN;
                default -> Double.parseDouble(v);
            }));
        }
        return out;
    }
}
