package org.blockwatch.agent.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.blockwatch.agent.metrics.AgentMetrics;
import org.blockwatch.agent.store.MeasurementStore;
import org.blockwatch.agent.store.StoreException;
import org.blockwatch.agent.store.StoredMeasurement;
import org.blockwatch.agent.store.TargetState;
import org.blockwatch.agent.targets.Target;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.engine.BoundedParallel;
import org.blockwatch.core.measurement.Measurement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass over the target list, and what follows from it. Targets go in random order (so a
 * middlebox cannot fingerprint the probe by its sequence), at most {@code concurrency} at once,
 * none started after the sweep's time budget or beyond the hour's bandwidth budget. Every
 * measurement is stored as soon as it is made. A target whose state differs from the published
 * one is measured again at once, and the change is published only when the second measurement
 * agrees. When nothing at all answered, the control included, the probe's own network is down:
 * that outage is recorded, and no target's state is touched.
 */
public final class Sweeper {
    private static final Logger log = LoggerFactory.getLogger(Sweeper.class);

    private final Function<Target, Measurement> measure;
    private final MeasurementStore store;
    private final AgentMetrics metrics;
    private final ProbeInfo probe;
    private final BandwidthBudget bandwidth;
    private final int concurrency;
    private final Duration sweepBudget;
    private final Clock clock;
    private final Random random;
    private final Map<String, TargetState> published = new ConcurrentHashMap<>();
    private volatile boolean online = true;

    public Sweeper(Function<Target, Measurement> measure, MeasurementStore store, AgentMetrics metrics, ProbeInfo probe,
            BandwidthBudget bandwidth, int concurrency, Duration sweepBudget, Clock clock, Random random) throws StoreException {
        this.measure = measure;
        this.store = store;
        this.metrics = metrics;
        this.probe = probe;
        this.bandwidth = bandwidth;
        this.concurrency = concurrency;
        this.sweepBudget = sweepBudget;
        this.clock = clock;
        this.random = random;
        // Begin where the last run ended.
        for (TargetState s : store.currentStates().values()) {
            published.put(s.target(), s);
            metrics.publish(s.target(), s.category(), s.state(), s.method(), s.changedAt());
        }
        online = !"offline".equals(store.networkState());
        metrics.networkOnline(online);
    }

    public boolean online() {
        return online;
    }

    public Map<String, TargetState> published() {
        return Map.copyOf(published);
    }

    /** What a sweep did. */
    public record Result(int measured, int skipped, boolean online, Duration took) {}

    /** Runs one sweep over {@code targets}; stops starting measurements once {@code stop} is set. */
    public Result sweep(List<Target> targets, AtomicBoolean stop) throws InterruptedException {
        Instant start = clock.instant();
        Instant deadline = start.plus(sweepBudget);
        List<Target> order = new ArrayList<>(targets);
        Collections.shuffle(order, random);
        List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        int[] skipped = {0};
        BoundedParallel.forEach(order, concurrency, target -> {
            Instant now = clock.instant();
            if (stop.get() || now.isAfter(deadline) || !bandwidth.allows(now)) return null;
            return measureOnce(target);
        }, outcome -> {
            if (outcome == null) skipped[0]++;
            else outcomes.add(outcome);
        });
        if (skipped[0] > 0 && !stop.get()) {
            log.warn("sweep: {} of {} targets not measured (time budget {} or bandwidth budget reached: {} bytes in the last hour)",
                    skipped[0], targets.size(), sweepBudget, bandwidth.spentInLastHour(clock.instant()));
        }
        boolean nothingAnswered = !outcomes.isEmpty() && outcomes.stream().allMatch(Outcome::unreachable);
        setOnline(!nothingAnswered, outcomes, start);
        if (!nothingAnswered) {
            for (Outcome o : outcomes) {
                if (!o.unreachable()) publishIfChanged(o);
            }
        }
        Instant end = clock.instant();
        Duration took = Duration.between(start, end);
        metrics.sweepCompleted(took, end);
        return new Result(outcomes.size(), skipped[0], online, took);
    }

    private Outcome measureOnce(Target target) {
        Stored first = measureAndStore(target);
        Measurement m = first.measurement();
        TargetState prev = published.get(target.label());
        boolean changed = prev == null || !prev.state().equals(m.verdict().status().label())
                || !Objects.equals(prev.method(), m.verdict().method());
        Outcome outcome = new Outcome(target, m, first.id(), false);
        if (!changed || outcome.unreachable()) return outcome;
        // Confirm before publishing: one more measurement, which must agree.
        Stored again = measureAndStore(target);
        Measurement n = again.measurement();
        boolean agrees = n.verdict().status() == m.verdict().status() && Objects.equals(n.verdict().method(), m.verdict().method());
        return new Outcome(target, n, again.id(), agrees);
    }

    /** A measurement and its id in the store (null when storing failed, which is logged). */
    private record Stored(Measurement measurement, Long id) {}

    private Stored measureAndStore(Target target) {
        Measurement m = measure.apply(target);
        Instant at = clock.instant();
        bandwidth.spend(at, BandwidthBudget.estimate(m.observation()));
        metrics.measured(target.label(), target.category(), m, at);
        String flags = String.join(" ", m.verdict().flags());
        Long id = null;
        try {
            id = store.insert(new StoredMeasurement(at, target.label(), target.category(), probe.asn(), probe.cc(), probe.networkName(),
                    m.verdict().status().label(), m.verdict().method(), flags, m.toJsonLine(probe)));
        } catch (StoreException e) {
            log.error("{}", e.getMessage());
        }
        if (log.isDebugEnabled()) {
            var o = m.observation();
            log.debug("{}: {} {} ({}) dns={} tcp={} tls={} http={} control={}", target.label(), m.verdict().status().label(),
                    m.verdict().method() == null ? "" : m.verdict().method(), m.verdict().explanation(),
                    o.dnsExperimentFailure() == null ? "ok" : o.dnsExperimentFailure(),
                    o.tcpConnect().stream().map(c -> c.success() ? "ok" : c.failure()).toList(),
                    o.tlsHandshakes().stream().map(h -> h.failure() == null ? h.tlsVersion() : h.failure()).toList(),
                    o.finalRequest() == null || o.finalRequest().response() == null ? o.httpExperimentFailure() : o.finalRequest().response().code(),
                    m.control().available() ? "ok" : m.control().failure());
        }
        return new Stored(m, id);
    }

    private void publishIfChanged(Outcome o) {
        String target = o.target().label();
        TargetState prev = published.get(target);
        boolean same = prev != null && prev.state().equals(o.state()) && Objects.equals(prev.method(), o.method());
        if (same || !o.confirmedChange()) return;
        Instant now = clock.instant();
        TargetState next = new TargetState(target, o.target().category(), o.state(), o.method(), now, now);
        try {
            store.recordStateChange(now, target, o.target().category(), o.state(), o.method(), o.storedId(), probe.asn(), probe.cc(),
                    probe.networkName());
        } catch (StoreException e) {
            log.error("{}", e.getMessage());
        }
        published.put(target, next);
        metrics.publish(target, o.target().category(), o.state(), o.method(), now);
        log.info("{}: {} -> {}{}: {}", target, prev == null ? "(new)" : prev.state(), o.state(), o.method() == null ? "" : " (" + o.method() + ")",
                o.measurement().verdict().explanation());
    }

    /**
     * Records a change of the network's state as of the start of the sweep that found it: every
     * measurement of that sweep was made in the new state (exports cut outages by these times).
     */
    private void setOnline(boolean nowOnline, List<Outcome> outcomes, Instant sweepStart) {
        if (nowOnline == online || outcomes.isEmpty()) return;
        online = nowOnline;
        metrics.networkOnline(nowOnline);
        try {
            store.recordStateChange(sweepStart, null, null, nowOnline ? "online" : "offline", null, null, probe.asn(), probe.cc(),
                    probe.networkName());
        } catch (StoreException e) {
            log.error("{}", e.getMessage());
        }
        if (nowOnline) log.info("network: online again; measuring as usual");
        else log.warn("network: offline (nothing answered, the control included); no target state is changed until it returns");
    }
}
