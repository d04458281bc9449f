package org.blockwatch.agent.schedule;

import org.blockwatch.core.webconnectivity.WebConnectivity;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.blockwatch.agent.metrics.AgentMetrics;
import org.blockwatch.agent.sink.MeasurementSink;
import org.blockwatch.agent.store.MeasurementStore;
import org.blockwatch.agent.store.NetworkState;
import org.blockwatch.agent.targets.Target;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.archival.TcpConnect;
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
 * An offline home: the sweep stops starting foreign targets once its first measurements find
 * nothing answering, but still measures the domestic baselines, so that a whitelist shutdown is
 * not taken for an outage.
 */
class SweeperOfflineTest {
    private static final int CONCURRENCY = 4;
    private final List<Target> foreign = new ArrayList<>();
    private final Target domestic = new Target(TargetUrl.parse("https://kaspi.kz/"), "FINANCE", "Finance", "test", true);
    private final Set<String> measured = ConcurrentHashMap.newKeySet();
    private volatile boolean domesticAnswers;
    private volatile boolean foreignAnswers;

    SweeperOfflineTest() {
        for (int i = 0; i < 40; i++) foreign.add(new Target(TargetUrl.parse("https://site" + i + ".example/"), "NEWS", "News", "test"));
    }

    private Measurement measure(Target t) {
        measured.add(t.label());
        boolean answers = t.domestic() ? domesticAnswers : foreignAnswers;
        List<TcpConnect> connects = List.of(new TcpConnect("198.18.0.9", 443,
                new TcpConnect.Status(answers, answers ? null : "generic_timeout_error", null), 0, 1, 1));
        WebObservation o = new WebObservation(t.label(), t.label(), Instant.EPOCH, 1, "", List.of(), List.of(), null, connects, List.of(),
                List.of(), answers ? null : "generic_timeout_error", null, List.of(), List.of());
        ControlResult control = foreignAnswers
                ? new ControlResult(new ControlResponse(new ControlResponse.Dns(null, List.of()), Map.of(), Map.of(), null, Map.of()), null, "h")
                : ControlResult.none("generic_timeout_error");
        return WebConnectivity.measurement(o, control, new Analysis("consistent", new HttpComparison(true, 1.0, true, true, true),
                new Verdict(Status.INCONCLUSIVE, null, List.of(), "x")));
    }

    private Sweeper.Result sweep(Path tmp) throws Exception {
        ProbeInfo probe = new ProbeInfo("AS9198", "KZ", "home", "blockwatch", "test");
        Clock clock = Clock.fixed(Instant.parse("2026-01-05T07:00:00Z"), ZoneOffset.UTC);
        List<Target> all = new ArrayList<>(foreign);
        all.add(domestic);
        try (MeasurementStore store = MeasurementStore.open(tmp.resolve("store.db")); AgentMetrics metrics = new AgentMetrics("t", "AS9198", "KZ", "home")) {
            Sweeper sweeper = new Sweeper(this::measure, new MeasurementSink(store, metrics, probe), new BandwidthBudget(Long.MAX_VALUE),
                    CONCURRENCY, Duration.ofHours(1), clock, new Random(7));
            return sweeper.sweep(all, new AtomicBoolean());
        }
    }

    @Test
    void offlineTheSweepStopsStartingForeignTargetsAfterItsFirstMeasurementsButMeasuresTheDomesticBaseline(@TempDir Path tmp) throws Exception {
        Sweeper.Result r = sweep(tmp);

        assertThat(r.network()).isEqualTo(NetworkState.OFFLINE);
        assertThat(measured).contains(domestic.label());
        // The first CONCURRENCY measurements decide; at most CONCURRENCY - 1 more were already in flight.
        assertThat(measured).hasSizeLessThanOrEqualTo(2 * CONCURRENCY + 1);
        assertThat(r.measured()).isEqualTo(measured.size());
        assertThat(r.skipped()).isEqualTo(foreign.size() + 1 - measured.size());
    }

    @Test
    void aDomesticBaselineAnsweringWhenNothingForeignDoesIsAWhitelistShutdownNotAnOutage(@TempDir Path tmp) throws Exception {
        domesticAnswers = true;

        Sweeper.Result r = sweep(tmp);

        assertThat(r.network()).isEqualTo(NetworkState.RESTRICTED);
        assertThat(measured).contains(domestic.label());
    }

    @Test
    void withoutADomesticBaselineEveryTargetIsTriedBeforeTheNetworkIsCalledOffline(@TempDir Path tmp) throws Exception {
        // Nothing would tell a dead line from a censor blocking the control and the first targets.
        List<Target> onlyForeign = List.copyOf(foreign);
        ProbeInfo probe = new ProbeInfo("AS9198", "KZ", "home", "blockwatch", "test");
        Clock clock = Clock.fixed(Instant.parse("2026-01-05T07:00:00Z"), ZoneOffset.UTC);
        try (MeasurementStore store = MeasurementStore.open(tmp.resolve("store.db")); AgentMetrics metrics = new AgentMetrics("t", "AS9198", "KZ", "home")) {
            Sweeper sweeper = new Sweeper(this::measure, new MeasurementSink(store, metrics, probe), new BandwidthBudget(Long.MAX_VALUE),
                    CONCURRENCY, Duration.ofHours(1), clock, new Random(7));
            Sweeper.Result r = sweeper.sweep(onlyForeign, new AtomicBoolean());
            assertThat(r.network()).isEqualTo(NetworkState.OFFLINE);
            assertThat(measured).hasSize(onlyForeign.size());
        }
    }

    @Test
    void onlineEveryTargetIsMeasured(@TempDir Path tmp) throws Exception {
        domesticAnswers = true;
        foreignAnswers = true;

        Sweeper.Result r = sweep(tmp);

        assertThat(r.network()).isEqualTo(NetworkState.ONLINE);
        assertThat(measured).hasSize(foreign.size() + 1);
    }
}
