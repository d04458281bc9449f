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
import java.util.concurrent.atomic.AtomicBoolean;
import org.blockwatch.agent.metrics.AgentMetrics;
import org.blockwatch.agent.sink.MeasurementSink;
import org.blockwatch.agent.store.MeasurementStore;
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
import org.blockwatch.core.verdict.Verdict.Method;
import org.blockwatch.core.verdict.Verdict.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk while a target's state changes: the change the store refused is not lost while
 * memory moves on; it is found again and recorded once there is room, and the failures are counted.
 */
class SweeperDiskFullTest {
    private static final Target SITE = new Target(TargetUrl.parse("https://news.example/"), "NEWS", "News", "test");
    private static final Target BASE = new Target(TargetUrl.parse("https://kaspi.kz/"), "FINANCE", "Finance", "test", true);
    private volatile Status siteStatus = Status.ACCESSIBLE;

    private Measurement measure(Target t) {
        Status status = t.equals(SITE) ? siteStatus : Status.ACCESSIBLE;
        WebObservation o = new WebObservation(t.label(), t.label(), Instant.EPOCH, 1, "", List.of(), List.of(), null,
                List.of(new TcpConnect("198.18.0.9", 443, new TcpConnect.Status(true, null, null), 0, 1, 1)), List.of(), List.of(), null, null,
                List.of(), List.of());
        ControlResult control = new ControlResult(new ControlResponse(new ControlResponse.Dns(null, List.of()), Map.of(), Map.of(), null, Map.of()),
                null, "h");
        Verdict v = status == Status.BLOCKED ? new Verdict(Status.BLOCKED, Method.TLS, List.of(), "reset") : new Verdict(Status.ACCESSIBLE, null, List.of(), "loads");
        return WebConnectivity.measurement(o, control, new Analysis("consistent", new HttpComparison(true, 1.0, true, true, true), v));
    }

    @Test
    void aStateChangeTheFullDiskRefusedIsRecordedOnceThereIsRoomAgain(@TempDir Path tmp) throws Exception {
        ProbeInfo probe = new ProbeInfo("AS9198", "KZ", "home", "blockwatch", "test");
        Clock clock = Clock.fixed(Instant.parse("2026-12-01T07:00:00Z"), ZoneOffset.UTC);
        try (MeasurementStore store = MeasurementStore.open(tmp.resolve("s.db")); AgentMetrics metrics = new AgentMetrics("t", "AS9198", "KZ", "home")) {
            Sweeper sweeper = new Sweeper(this::measure, new MeasurementSink(store, metrics, probe), new BandwidthBudget(Long.MAX_VALUE), 2,
                    Duration.ofHours(1), clock, new Random(1));
            sweeper.sweep(List.of(SITE, BASE), new AtomicBoolean());
            assertThat(store.currentStates().get(SITE.label()).state()).isEqualTo(Status.ACCESSIBLE);

            // The disk fills; the site is blocked meanwhile.
            store.simulateFullDisk(true);
            siteStatus = Status.BLOCKED;
            sweeper.sweep(List.of(SITE, BASE), new AtomicBoolean());
            assertThat(store.currentStates().get(SITE.label()).state()).as("nothing could be written").isEqualTo(Status.ACCESSIBLE);
            assertThat(sweeper.published().get(SITE.label()).state()).as("memory follows the store, not ahead of it").isEqualTo(Status.ACCESSIBLE);

            // Room again: the next sweep finds the change again and records it.
            store.simulateFullDisk(false);
            sweeper.sweep(List.of(SITE, BASE), new AtomicBoolean());
            assertThat(store.currentStates().get(SITE.label()).state()).isEqualTo(Status.BLOCKED);

            String scrape = metrics.scrape();
            assertThat(scrape).containsPattern("blockwatch_store_errors_total\\{kind=\"state_change\"} [1-9]")
                    .containsPattern("blockwatch_store_errors_total\\{kind=\"measurement\"} [1-9]");
            assertThat(counter(scrape, "blockwatch_measurements_stored_total")).isLessThan(sum(scrape, "blockwatch_measurements_total"));
        }
    }

    private static double counter(String scrape, String name) {
        return scrape.lines().filter(l -> l.startsWith(name + " ")).mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1))).sum();
    }

    private static double sum(String scrape, String name) {
        return scrape.lines().filter(l -> l.startsWith(name + "{")).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
