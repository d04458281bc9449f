package org.blockwatch.agent.schedule;

import org.blockwatch.core.webconnectivity.WebConnectivity;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.blockwatch.agent.metrics.AgentMetrics;
import org.blockwatch.agent.sink.MeasurementSink;
import org.blockwatch.agent.store.MeasurementStore;
import org.blockwatch.agent.targets.Target;
import org.blockwatch.agent.targets.TargetListLoader;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.archival.TcpConnect;
import org.blockwatch.core.archival.TlsHandshake;
import org.blockwatch.core.archival.WebObservation;
import org.blockwatch.core.control.wire.ControlResponse;
import org.blockwatch.core.control.wire.ControlResult;
import org.blockwatch.core.nettest.Measurement;
import org.blockwatch.core.verdict.Analysis;
import org.blockwatch.core.verdict.HttpComparison;
import org.blockwatch.core.verdict.Verdict;
import org.blockwatch.core.verdict.Verdict.Status;
import org.blockwatch.sim.MovingClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in lists, all of them (2,000 and more targets), through the sweeper: every target
 * measured once per sweep in a random order that changes, and the time and bandwidth budgets
 * holding. Each measurement "takes" a set time on a clock the test moves (no real waiting).
 */
class SweeperScaleTest {
    private static final ProbeInfo PROBE = new ProbeInfo("AS9198", "KZ", "home", "blockwatch", "test");
    @TempDir
    Path tmp;
    private List<Target> targets;
    private final MovingClock clock = new MovingClock(Instant.parse("2026-12-01T07:00:00Z"));
    private final List<String> order = new CopyOnWriteArrayList<>();
    /** Each measurement's simulated share of the sweep's time: its duration divided by the concurrency. */
    private Duration share;

    @BeforeEach
    void lists() throws Exception {
        targets = TargetListLoader.load(List.of("builtin:kz", "builtin:global", "builtin:citizenlab-kz", "builtin:citizenlab-global"), List.of())
                .targets();
    }

    private Measurement measure(Target t) {
        order.add(t.label());
        clock.advance(share);
        TlsHandshake h = new TlsHandshake("tcp", "198.18.0.9:443", t.webUrl().orElseThrow().host(), List.of(), "TLSv1.3", "TLS_AES_128_GCM_SHA256", "", false,
                List.of(), null, null, 1, 1.1, 0);
        WebObservation o = new WebObservation(t.label(), t.label(), clock.instant(), 1, "", List.of(), List.of(), null,
                List.of(new TcpConnect("198.18.0.9", 443, new TcpConnect.Status(true, null, null), 0, 1, 1)), List.of(h), List.of(), null, null,
                List.of(), List.of());
        ControlResult control = new ControlResult(new ControlResponse(new ControlResponse.Dns(null, List.of()), Map.of(), Map.of(), null, Map.of()),
                null, "h");
        return WebConnectivity.measurement(o, control, new Analysis("consistent", new HttpComparison(true, 1.0, true, true, true),
                new Verdict(Status.ACCESSIBLE, null, List.of(), "the page loads")));
    }

    private Sweeper sweeper(MeasurementStore store, AgentMetrics metrics, BandwidthBudget bandwidth, int concurrency, Duration budget)
            throws Exception {
        return new Sweeper(this::measure, new MeasurementSink(store, metrics, PROBE), bandwidth, concurrency, budget, clock, new Random());
    }

    @Test
    void twoThousandTargetsAreEachMeasuredOncePerSweepInAnOrderThatChanges() throws Exception {
        assertThat(targets).hasSizeGreaterThanOrEqualTo(2_000);
        List<String> labels = targets.stream().map(Target::label).toList();
        // 4 s a measurement, 8 at a time: a sweep of 2,300 targets takes about 19 minutes of the 50-minute budget.
        share = Duration.ofSeconds(4).dividedBy(8);
        try (MeasurementStore store = MeasurementStore.open(tmp.resolve("s.db")); AgentMetrics metrics = new AgentMetrics("t", "AS9198", "KZ", "home")) {
            Sweeper sweeper = sweeper(store, metrics, new BandwidthBudget(200_000_000), 8, Duration.ofMinutes(50));
            // The first sweep measures each target twice: a first state is published only once confirmed.
            Sweeper.Result first = sweeper.sweep(targets, new AtomicBoolean());
            assertThat(first.measured()).isEqualTo(targets.size());
            assertThat(first.skipped()).isZero();
            assertThat(first.took()).isLessThan(Duration.ofMinutes(50));
            assertThat(order).hasSize(2 * targets.size()).containsAll(labels);

            List<List<String>> orders = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) {
                order.clear();
                Sweeper.Result r = sweeper.sweep(targets, new AtomicBoolean());
                assertThat(r.measured()).isEqualTo(targets.size());
                assertThat(r.skipped()).isZero();
                assertThat(r.took()).isLessThan(Duration.ofMinutes(25));
                assertThat(order).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(labels);
                orders.add(List.copyOf(order));
            }
            assertThat(orders.get(0)).isNotEqualTo(labels).isNotEqualTo(orders.get(1));
            assertThat(store.count()).isEqualTo(4L * targets.size());
        }
    }

    @Test
    void aSweepTellsItsIdealTimeTheTargetsOwnTimesOverTheConcurrency() throws Exception {
        List<Target> some = targets.subList(0, 40);
        try (MeasurementStore store = MeasurementStore.open(tmp.resolve("s.db")); AgentMetrics metrics = new AgentMetrics("t", "AS9198", "KZ", "home")) {
            // One at a time, nothing but the measurements moves the clock: the sweep takes exactly its ideal time.
            share = Duration.ofSeconds(3);
            Sweeper.Result r = sweeper(store, metrics, new BandwidthBudget(Long.MAX_VALUE), 1, Duration.ofHours(1)).sweep(some, new AtomicBoolean());
            // The first sweep measures each target twice (the confirmation is part of its time).
            assertThat(r.ideal()).isEqualTo(Duration.ofSeconds(3 * 2 * 40)).isEqualTo(r.took());
        }
    }

    @Test
    void aSweepOverItsTimeBudgetStartsNothingMoreAndTheNextSweepReachesOthers() throws Exception {
        try (MeasurementStore store = MeasurementStore.open(tmp.resolve("s.db")); AgentMetrics metrics = new AgentMetrics("t", "AS9198", "KZ", "home")) {
            Sweeper sweeper = sweeper(store, metrics, new BandwidthBudget(Long.MAX_VALUE), 2, Duration.ofMinutes(50));
            share = Duration.ZERO; // a first sweep, in no time, publishes every target's state
            sweeper.sweep(targets, new AtomicBoolean());
            // 10 s a measurement, 2 at a time: 2,300 targets would take over three hours; the budget is 50 minutes.
            share = Duration.ofSeconds(10).dividedBy(2);
            order.clear();
            Sweeper.Result r = sweeper.sweep(targets, new AtomicBoolean());
            List<String> reached = List.copyOf(order);

            // 50 minutes at 5 s a measurement: 600 started, and the one or two in flight at the deadline.
            assertThat(r.measured()).isBetween(600, 602);
            assertThat(r.skipped()).isEqualTo(targets.size() - r.measured());
            order.clear();
            sweeper.sweep(targets, new AtomicBoolean());
            assertThat(order).as("the random order reaches other targets next time").isNotEqualTo(reached)
                    .anySatisfy(t -> assertThat(reached).doesNotContain(t));
        }
    }

    @Test
    void theHourlyBandwidthBudgetHoldsWhateverTheListsSize() throws Exception {
        share = Duration.ofSeconds(1);
        long budget = 5_000_000;
        try (MeasurementStore store = MeasurementStore.open(tmp.resolve("s.db")); AgentMetrics metrics = new AgentMetrics("t", "AS9198", "KZ", "home")) {
            BandwidthBudget bandwidth = new BandwidthBudget(budget);
            Sweeper.Result r = sweeper(store, metrics, bandwidth, 4, Duration.ofHours(2)).sweep(targets, new AtomicBoolean());

            assertThat(r.skipped()).isPositive();
            // No target starts once the budget is spent; the ones in flight (at most 4) may finish,
            // each with its confirming measurement (a first sweep measures every target twice).
            long each = measure(targets.get(0)).result().bytes();
            assertThat(bandwidth.spentInLastHour(clock.instant())).isLessThanOrEqualTo(budget + 4 * 2 * each);
        }
    }
}
