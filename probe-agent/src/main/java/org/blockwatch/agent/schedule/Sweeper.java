package org.blockwatch.agent.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.blockwatch.agent.units.Units;
import org.blockwatch.agent.sink.MeasurementSink;
import org.blockwatch.agent.store.NetworkState;
import org.blockwatch.core.nettest.Speed;
import org.blockwatch.agent.store.StoreException;
import org.blockwatch.agent.store.TargetState;
import org.blockwatch.agent.targets.Target;
import org.blockwatch.core.nettest.BoundedParallel;
import org.blockwatch.core.nettest.Measurement;
import org.blockwatch.core.verdict.Evidence;
import org.blockwatch.core.verdict.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass over the target list, and what follows from it. Targets go in random order (so a
 * middlebox cannot fingerprint the probe by its sequence), at most {@code concurrency} at once,
 * none started after the sweep's time budget or beyond the hour's bandwidth budget. Every
 * measurement is stored as soon as it is made. A target whose state differs from the published
 * one is measured again at once, and the change is published only when the second measurement
 * agrees on the status (a block by either measurement's method: the stronger evidence's,
 * {@link Evidence}). When nothing at all answered, the control included, the probe's own network is down:
 * that outage is recorded, and no target's state is touched. A sweep whose first measurements
 * find nothing answering starts no more foreign targets when the list has domestic baselines
 * (they still go, so that a whitelist shutdown, or a censor blocking the control and the first
 * targets, is told from an outage): an offline home makes a few attempts, not a full sweep's. Each target's speed is kept and compared with its history after each sweep
 * ({@link SpeedTrend}).
 */
public final class Sweeper {
    private static final Logger log = LoggerFactory.getLogger(Sweeper.class);

    private final Function<Target, Measurement> measure;
    private final MeasurementSink sink;
    private final BandwidthBudget bandwidth;
    private final int concurrency;
    private final Duration sweepBudget;
    private final Clock clock;
    private final Random random;
    private final Map<String, TargetState> published = new ConcurrentHashMap<>();
    private final SpeedTrend speeds = new SpeedTrend();
    private final java.util.Set<String> slower = ConcurrentHashMap.newKeySet();
    private volatile NetworkState network;

    public Sweeper(Function<Target, Measurement> measure, MeasurementSink sink, BandwidthBudget bandwidth, int concurrency,
            Duration sweepBudget, Clock clock, Random random) throws StoreException {
        this.measure = measure;
        this.sink = sink;
        this.bandwidth = bandwidth;
        this.concurrency = concurrency;
        this.sweepBudget = sweepBudget;
        this.clock = clock;
        this.random = random;
        // Begin where the last run ended.
        MeasurementSink.Restored restored = sink.restore();
        published.putAll(restored.states());
        network = restored.network();
        speeds.restore(restored.speeds());
    }

    /** The probe's own network at the last sweep. */
    public NetworkState network() {
        return network;
    }

    /** Whether the probe's own network was online at the last sweep (not offline, not restricted). */
    public boolean online() {
        return network == NetworkState.ONLINE;
    }


    public Map<String, TargetState> published() {
        return Map.copyOf(published);
    }

    /**
     * How many measurements, all finding nothing answering (the control included), make a sweep
     * stop starting foreign targets: the concurrency, and at least this many.
     */
    static final int OFFLINE_EVIDENCE = 4;

    /**
     * What a sweep did (measured; skipped for a budget or because the network looked offline;
     * failed with an error, logged), the network's state it found, how long it took, and its
     * {@code ideal}: its targets' own times (each target's measurements, one after the other) over
     * the concurrency, the least it could take; {@code took} against it shows time lost to scheduling.
     */
    public record Result(int measured, int skipped, int failed, NetworkState network, Duration took, Duration ideal) {
        public boolean online() {
            return network == NetworkState.ONLINE;
        }
    }

    private final java.util.concurrent.atomic.AtomicInteger progressDone = new java.util.concurrent.atomic.AtomicInteger();
    private volatile int progressTotal;

    /** How far the sweep in progress is: targets done (measured or skipped) of its targets. */
    public int[] progress() {
        return new int[] {progressDone.get(), progressTotal};
    }

    /** Runs one sweep over {@code targets}; stops starting measurements once {@code stop} is set. */
    public Result sweep(List<Target> targets, AtomicBoolean stop) throws InterruptedException {
        progressDone.set(0);
        progressTotal = targets.size();
        Instant start = clock.instant();
        Instant deadline = start.plus(sweepBudget);
        sink.sweepStarted(start);
        List<Target> order = new ArrayList<>(targets);
        Collections.shuffle(order, random);
        List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        int[] skipped = {0};
        java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
        // Only with a domestic baseline in the list: it is what tells a dead line from a censor that
        // blocks the control and the first few targets (then it answers, and the sweep goes on).
        int evidence = targets.stream().anyMatch(Target::domestic) ? Math.min(targets.size(), Math.max(OFFLINE_EVIDENCE, concurrency))
                : Integer.MAX_VALUE;
        AtomicBoolean looksOffline = new AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger offlineSkipped = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicLong busyNanos = new java.util.concurrent.atomic.AtomicLong();
        BoundedParallel.forEach(order, concurrency, target -> {
            Instant now = clock.instant();
            if (stop.get() || now.isAfter(deadline) || !bandwidth.allows(now)) return null;
            if (looksOffline.get() && !target.domestic()) {
                offlineSkipped.incrementAndGet();
                return null;
            }
            try {
                return measureOnce(target);
            } catch (RuntimeException | OutOfMemoryError e) {
                // A bug or a body too big for the heap: named in the log, and the sweep goes on with the others.
                log.error("{}: not measured: {}", target.label(), e.toString(), e);
                failed.incrementAndGet();
                return null;
            } finally {
                busyNanos.addAndGet(Duration.between(now, clock.instant()).toNanos());
            }
        }, outcome -> {
            progressDone.incrementAndGet();
            if (outcome == null) skipped[0]++;
            else outcomes.add(outcome);
            // Called one at a time, in completion order: the first measurements to finish decide.
            if (outcome != null && outcomes.size() == evidence && !looksOffline.get() && outcomes.stream().allMatch(Outcome::unreachable)) {
                looksOffline.set(true);
                log.info("sweep: nothing answered the first {} measurements, the control included: the network looks offline; "
                        + "only domestic baselines are tried for the rest of this sweep", evidence);
            } else if (outcome != null && looksOffline.get() && !outcome.unreachable()) {
                looksOffline.set(false);
                log.info("sweep: {} answered: the network is not offline; the sweep goes on", outcome.target().label());
            }
        });
        skipped[0] -= failed.get();
        if (skipped[0] > offlineSkipped.get() && !stop.get()) {
            log.warn("sweep: {} of {} targets not measured (time budget {} or bandwidth budget reached: {} bytes in the last hour)",
                    skipped[0] - offlineSkipped.get(), targets.size(), Units.duration(sweepBudget), bandwidth.spentInLastHour(clock.instant()));
        }
        if (!outcomes.isEmpty()) setNetwork(networkOf(outcomes), start);
        if (network == NetworkState.ONLINE) {
            for (Outcome o : outcomes) {
                if (!o.unreachable()) publishIfChanged(o);
            }
            judgeSpeeds(outcomes);
        }
        Instant end = clock.instant();
        Duration took = Duration.between(start, end);
        sink.sweepCompleted(took, end);
        return new Result(outcomes.size(), skipped[0], failed.get(), network, took, Duration.ofNanos(busyNanos.get() / concurrency));
    }

    private Outcome measureOnce(Target target) {
        Stored first = measureAndStore(target);
        Verdict v = first.measurement().verdict();
        TargetState prev = published.get(target.label());
        Outcome outcome = new Outcome(target, first.measurement(), first.id(), false);
        if ((prev != null && prev.same(v.status(), v.method())) || outcome.unreachable()) return outcome;
        // Confirm before publishing: one more measurement, which must agree on the status. It starts
        // once the first has returned, and a measurement returns with all its connections closed: the
        // second does not share the line with the first's traffic.
        Stored again = measureAndStore(target);
        Verdict w = again.measurement().verdict();
        if (w.status() != v.status()) return new Outcome(target, again.measurement(), again.id(), false);
        // Both blocked, perhaps by different methods (a flaky or layered censor): the block is
        // confirmed, published with the stronger evidence's method; both measurements are stored.
        Stored chosen = v.status() == Verdict.Status.BLOCKED && Evidence.stronger(v, w) ? first : again;
        return new Outcome(target, chosen.measurement(), chosen.id(), true);
    }

    /** A measurement and its id in the store (null when storing failed, which is logged). */
    private record Stored(Measurement measurement, Long id) {}

    private Stored measureAndStore(Target target) {
        Measurement m = measure.apply(target);
        Instant at = clock.instant();
        bandwidth.spend(at, m.result().bytes());
        speeds.record(target.label(), m.result().speed());
        // Stored under its start, to the second: OONI's measurement_start_time, so that a collector's
        // fleet timelines and the local ones put every measurement at the same time.
        Instant measured = m.result().startTime().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        return new Stored(m, sink.measured(target.label(), target.category(), m, measured));
    }

    /** Flags the targets of this sweep that became slower than usual, and clears those that are not any more. */
    private void judgeSpeeds(List<Outcome> outcomes) {
        Map<String, Target> measured = new java.util.LinkedHashMap<>();
        for (Outcome o : outcomes) measured.put(o.target().label(), o.target());
        Map<String, SpeedTrend.Slowdown> now = speeds.slower(measured.keySet(), t -> measured.get(t).baseline());
        for (Target t : measured.values()) {
            SpeedTrend.Slowdown s = now.get(t.label());
            boolean was = s == null ? slower.remove(t.label()) : !slower.add(t.label());
            if (s != null || was) sink.speedJudged(t.label(), t.category(), s == null ? null : s.explanation(), was);
        }
    }

    private void publishIfChanged(Outcome o) {
        String target = o.target().label();
        TargetState prev = published.get(target);
        Verdict v = o.measurement().verdict();
        if ((prev != null && prev.same(v.status(), v.method())) || !o.confirmedChange()) return;
        TargetState now = sink.published(target, o.target().category(), v, o.storedId(), clock.instant(), prev);
        // null: a first state the store refused; the target stays unpublished, and is tried again.
        if (now != null) published.put(target, now);
    }

    /**
     * The network's state a sweep shows: offline when nothing answered, the control included;
     * restricted when the control never answered, a domestic baseline did, and at most a third of
     * the foreign targets could even be connected to (an international cut or a whitelist
     * shutdown, not sites blocked one by one: the few that still connect are the names the
     * censor's own servers answer for, blockpages and proxies inside the country); online
     * otherwise.
     */
    static NetworkState networkOf(List<Outcome> outcomes) {
        if (outcomes.stream().allMatch(Outcome::unreachable)) return NetworkState.OFFLINE;
        boolean controlNeverAnswered = outcomes.stream().noneMatch(Outcome::controlAnswered);
        boolean domesticAnswered = outcomes.stream().anyMatch(o -> o.target().domestic() && o.connected());
        List<Outcome> foreign = outcomes.stream().filter(o -> !o.target().domestic()).toList();
        long foreignConnected = foreign.stream().filter(Outcome::connected).count();
        if (controlNeverAnswered && domesticAnswered && !foreign.isEmpty() && foreignConnected * 3 <= foreign.size()) {
            return NetworkState.RESTRICTED;
        }
        return NetworkState.ONLINE;
    }

    /**
     * Records a change of the network's state as of the start of the sweep that found it: every
     * measurement of that sweep was made in the new state (exports cut outages by these times).
     */
    private void setNetwork(NetworkState now, Instant sweepStart) {
        if (now == network) return;
        network = now;
        sink.networkChanged(now, sweepStart);
    }
}
