package org.blockwatch.agent.schedule;

import org.blockwatch.core.webconnectivity.WebConnectivity;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.blockwatch.agent.metrics.AgentMetrics;
import org.blockwatch.agent.sink.MeasurementSink;
import org.blockwatch.agent.store.MeasurementStore;
import org.blockwatch.agent.targets.Target;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.archival.TcpConnect;
import org.blockwatch.core.archival.TlsHandshake;
import org.blockwatch.core.archival.WebObservation;
import org.blockwatch.core.control.wire.ControlResponse;
import org.blockwatch.core.control.wire.ControlResult;
import org.blockwatch.core.engine.TargetUrl;
import org.blockwatch.core.nettest.Measurement;
import org.blockwatch.core.verdict.Analysis;
import org.blockwatch.core.verdict.HttpComparison;
import org.blockwatch.core.verdict.Verdict;
import org.blockwatch.core.verdict.Verdict.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sweeps whose measurements are all "accessible" while one target's handshakes grow slow: the
 * agent flags it slower than usual in /metrics, across a restart, and clears the flag when it is
 * fast again.
 */
class SweeperSpeedTest {
    private static final Target SITE = new Target(TargetUrl.parse("https://news.example/"), "NEWS", "News", "test");
    private static final Target BASE = new Target(TargetUrl.parse("https://kaspi.kz/"), "FINANCE", "Finance", "test", true);
    private static final String SLOW = "blockwatch_target_flags{category=\"NEWS\",flags=\"slower_than_usual\",target=\"https://news.example/\"} 1";

    private final Map<Target, Double> handshake = new ConcurrentHashMap<>();

    private Measurement measure(Target t) {
        String url = t.label();
        double took = handshake.get(t);
        TlsHandshake h = new TlsHandshake("tcp", "198.18.0.9:443", t.webUrl().orElseThrow().host(), List.of(), "TLSv1.3", "TLS_AES_128_GCM_SHA256", "", false,
                List.of(), null, null, 1, 1 + took, 0);
        List<TcpConnect> connects = List.of(new TcpConnect("198.18.0.9", 443, new TcpConnect.Status(true, null, null), 0, 1, 1));
        WebObservation o = new WebObservation(url, url, Instant.EPOCH, 1, "", List.of(), List.of(), null, connects, List.of(h), List.of(),
                null, null, List.of(), List.of());
        ControlResult control = new ControlResult(new ControlResponse(new ControlResponse.Dns(null, List.of()), Map.of(), Map.of(), null, Map.of()),
                null, "h");
        return WebConnectivity.measurement(o, control, new Analysis("consistent", new HttpComparison(true, 1.0, true, true, true), new Verdict(Status.ACCESSIBLE, null, List.of(), "the page loads")));
    }

    private static void sweeps(Sweeper sweeper, int n) throws InterruptedException {
        for (int i = 0; i < n; i++) sweeper.sweep(List.of(SITE, BASE), new AtomicBoolean());
    }

    @Test
    void aTargetWhoseHandshakesStaySlowIsFlaggedAcrossARestartAndClearedWhenFast(@TempDir Path tmp) throws Exception {
        ProbeInfo probe = new ProbeInfo("AS9198", "KZ", "home", "blockwatch", "test");
        Clock clock = Clock.fixed(Instant.parse("2026-01-05T07:00:00Z"), ZoneOffset.UTC);
        handshake.put(SITE, 0.05);
        handshake.put(BASE, 0.04);
        try (MeasurementStore store = MeasurementStore.open(tmp.resolve("store.db")); AgentMetrics metrics = new AgentMetrics("t", "AS9198", "KZ", "home")) {
            Sweeper sweeper = new Sweeper(this::measure, new MeasurementSink(store, metrics, probe), new BandwidthBudget(Long.MAX_VALUE), 2,
                    Duration.ofHours(1), clock, new Random(1));
            sweeps(sweeper, 6);
            handshake.put(SITE, 1.5);
            sweeps(sweeper, 2);
            assertThat(metrics.scrape()).doesNotContain(SLOW).contains("flags=\"none\",target=\"https://news.example/\"} 0");
        }
        // A restart: the history comes back from the store, and the third slow sweep is flagged.
        try (MeasurementStore store = MeasurementStore.open(tmp.resolve("store.db")); AgentMetrics metrics = new AgentMetrics("t", "AS9198", "KZ", "home")) {
            Sweeper sweeper = new Sweeper(this::measure, new MeasurementSink(store, metrics, probe), new BandwidthBudget(Long.MAX_VALUE), 2,
                    Duration.ofHours(1), clock, new Random(1));
            sweeps(sweeper, 1);
            assertThat(metrics.scrape()).contains(SLOW)
                    .contains("blockwatch_target_flags{category=\"FINANCE\",flags=\"none\",target=\"https://kaspi.kz/\"} 0");
            handshake.put(SITE, 0.05);
            sweeps(sweeper, 1);
            assertThat(metrics.scrape()).doesNotContain(SLOW).contains("flags=\"none\",target=\"https://news.example/\"} 0");
        }
    }
}
