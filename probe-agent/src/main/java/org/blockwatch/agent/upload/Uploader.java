package org.blockwatch.agent.upload;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.blockwatch.agent.metrics.AgentMetrics;
import org.blockwatch.agent.schedule.BandwidthBudget;
import org.blockwatch.agent.store.MeasurementStore;
import org.blockwatch.agent.store.MeasurementStore.PendingUpload;
import org.blockwatch.agent.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the store's upload queue to a collector, oldest first, never in a sweep's way: each local
 * report (a sweep) is opened once at the collector and its id kept in the store; each measurement
 * goes as stored, byte for byte, under the collector's report id. The queue lives
 * in the store, so an outage, a restart or a {@code kill -9} loses nothing: a measurement is marked
 * sent only after the collector's 2xx with a {@code measurement_id}, and one the collector already
 * took is recognised there by its {@code measurement_uid}. A 4xx is kept as rejected and not sent
 * again; a 5xx, a 3xx, a 2xx without the id, a timeout or a refused connection is tried again after
 * a backoff (30 s doubling to an hour, with jitter), ends
 * the pass, and leaves the collector alone until then: the backoff counts the collector's failures
 * in a row, so that a queue of fresh measurements does not make an unreachable collector be tried
 * every 30 s, one measurement after another. Uploads count against the hour's bandwidth budget.
 */
public final class Uploader {
    private static final Logger log = LoggerFactory.getLogger(Uploader.class);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(30);
    static final Duration MAX_BACKOFF = Duration.ofHours(1);
    static final int BATCH = 100;

    private final MeasurementStore store;
    private final CollectorClient collector;
    private final BandwidthBudget bandwidth;
    private final AgentMetrics metrics;
    private final Clock clock;
    private final Random random;
    private boolean failing;
    /** The collector's failures in a row (the pause after the next one doubles), 0 once one is sent. */
    private int failuresInARow;
    /** After a failure, the collector is left alone until then (the failed measurement's next attempt). */
    private Instant pausedUntil = Instant.MIN;

    public Uploader(MeasurementStore store, CollectorClient collector, BandwidthBudget bandwidth, AgentMetrics metrics, Clock clock, Random random) {
        this.store = store;
        this.collector = collector;
        this.bandwidth = bandwidth;
        this.metrics = metrics;
        this.clock = clock;
        this.random = random;
    }

    /** What one pass did. */
    public record Pass(int sent, int rejected, int retried) {}

    /** Sends what is due now, until the queue is empty, the collector fails, or the budget is spent. */
    public synchronized Pass uploadDue() throws StoreException {
        int sent = 0, rejected = 0, retried = 0;
        if (clock.instant().isBefore(pausedUntil)) return new Pass(0, 0, 0);
        passes:
        while (true) {
            List<PendingUpload> due = store.dueUploads(clock.instant(), BATCH);
            if (due.isEmpty()) break;
            for (PendingUpload p : due) {
                Instant now = clock.instant();
                if (!bandwidth.allows(now)) break passes;
                switch (send(p)) {
                    case SENT -> sent++;
                    case REJECTED -> rejected++;
                    case RETRY -> {
                        retried++;
                        break passes;
                    }
                }
            }
        }
        metrics.uploadQueue(store.uploadCounts().getOrDefault("pending", 0L));
        return new Pass(sent, rejected, retried);
    }

    private enum Outcome { SENT, REJECTED, RETRY }

    private Outcome send(PendingUpload p) throws StoreException {
        String local = p.report().get("report_id");
        if (local == null) {
            store.uploadRejected(p.id(), "not a JSON measurement in the store");
            metrics.uploaded("rejected");
            return Outcome.REJECTED;
        }
        String report = store.collectorReport(local, collector.base()).orElse(null);
        if (report == null) {
            CollectorClient.Result opened = collector.open(p.report());
            switch (opened) {
                case CollectorClient.Ok ok -> {
                    report = ok.id();
                    store.saveCollectorReport(local, collector.base(), report);
                }
                case CollectorClient.Rejected r -> {
                    return reject(p, "opening a report: " + r.why());
                }
                case CollectorClient.Failed f -> {
                    return retry(p, "opening a report: " + f.why());
                }
            }
        }
        String body = p.json();
        bandwidth.spend(clock.instant(), body.getBytes(StandardCharsets.UTF_8).length + 1_000L);
        CollectorClient.Result r = collector.submit(report, body);
        return switch (r) {
            case CollectorClient.Ok ok -> {
                store.uploadSent(p.id(), ok.id());
                metrics.uploaded("sent");
                if (failing) log.info("upload: the collector at {} takes measurements again", collector.base());
                failing = false;
                failuresInARow = 0;
                yield Outcome.SENT;
            }
            case CollectorClient.Rejected rej when rej.unknownReport() -> {
                // The collector forgot the report (closed, restarted): the next attempt opens another.
                store.forgetCollectorReport(local, collector.base());
                yield retry(p, rej.why() + " (the collector does not know the report; another is opened)");
            }
            case CollectorClient.Rejected rej -> reject(p, rej.why());
            case CollectorClient.Failed f -> retry(p, f.why());
        };
    }

    private Outcome reject(PendingUpload p, String why) throws StoreException {
        failuresInARow = 0; // the collector answered
        store.uploadRejected(p.id(), why);
        metrics.uploaded("rejected");
        log.warn("upload: measurement {} refused by the collector at {}, not sent again: {}", p.id(), collector.base(), why);
        return Outcome.REJECTED;
    }

    private Outcome retry(PendingUpload p, String why) throws StoreException {
        Instant next = clock.instant().plus(backoff(Math.max(p.attempts(), failuresInARow++), random));
        store.uploadRetry(p.id(), next, why);
        pausedUntil = next;
        metrics.uploaded("retry");
        if (!failing) log.warn("upload: the collector at {} cannot take measurements now ({}); they wait in the store", collector.base(), why);
        failing = true;
        return Outcome.RETRY;
    }

    /** 30 s doubling per attempt up to an hour, times a random factor from 0.5 to 1.5 (so probes do not retry in step). */
    static Duration backoff(int attempts, Random random) {
        long base = Math.min(MAX_BACKOFF.toMillis(), FIRST_BACKOFF.toMillis() << Math.min(attempts, 20));
        return Duration.ofMillis((long) (base * (0.5 + random.nextDouble())));
    }
}
