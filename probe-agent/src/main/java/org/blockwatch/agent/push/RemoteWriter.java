package org.blockwatch.agent.push;

import io.airlift.compress.snappy.SnappyCompressor;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.blockwatch.agent.net.BoundedBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's own series pushed with Prometheus remote write 1.0 (protobuf, snappy), so that a
 * probe behind home NAT needs no second daemon. Every interval it takes the registry's snapshot
 * (the series a scrape of {@code /metrics} gives, read from the registry, not from its text; see
 * {@link Samples}), labels it with {@code job}, {@code instance} (the probe's name) and
 * the probe's network ({@code asn}, {@code cc}, from {@code blockwatch_probe_info}; never an
 * address), marks series that went away as stale, and appends the request to a bounded buffer on
 * disk. Requests leave oldest first; a 2xx or a 4xx (refused for good, counted) removes one; a 429,
 * a 5xx, a network error or an answer not read whole within {@link #REQUEST_TIMEOUT} keeps it,
 * with backoff and jitter up to {@link #MAX_BACKOFF}. An answer's body is read to {@link
 * #MAX_ANSWER} bytes, no further.
 */
public final class RemoteWriter {
    private static final Logger log = LoggerFactory.getLogger(RemoteWriter.class);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(5);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    /** Each request, its answer's body included, at most. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** A receiver's answer is a status and perhaps a line of error; more is not read. */
    static final int MAX_ANSWER = 64 * 1024;

    /**
     * Where and how to push.
     *
     * @param authorization the {@code Authorization} header's value, or null
     * @param instance the probe's name, the {@code instance} label of every series
     */
    public record Config(URI url, String authorization, Duration interval, String instance, String userAgent) {}

    /** What happened to samples: for the agent's counters. */
    public interface Listener {
        void samples(String result, long count);

        void buffered(long bytes);
    }

    private final Config config;
    private final PushBuffer buffer;
    private final Supplier<MetricSnapshots> registry;
    private final Listener listener;
    private final HttpClient http;
    private final LongSupplier clock;
    private final Random random;
    private Map<String, TreeMap<String, String>> previous = Map.of();
    private Duration backoff = Duration.ZERO;
    private Duration timeout = REQUEST_TIMEOUT;

    /** @param registry the registry's snapshot, taken consistent (a target never half-updated) */
    public RemoteWriter(Config config, PushBuffer buffer, Supplier<MetricSnapshots> registry, Listener listener, HttpClient http, LongSupplier clock,
            Random random) {
        this.config = config;
        this.buffer = buffer;
        this.registry = registry;
        this.listener = listener;
        this.http = http;
        this.clock = clock;
        this.random = random;
        listener.buffered(buffer.bytes());
    }

    /** Another limit for each request than {@link #REQUEST_TIMEOUT} (for tests). */
    RemoteWriter timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /** The probe's network as the last scrape with {@code blockwatch_probe_info} gave it. */
    private Map<String, String> network = Map.of("asn", "", "cc", "");

    /** Takes the current series into the buffer, as one request; returns its sample count. */
    public int collect() throws IOException {
        long now = clock.getAsLong();
        List<Series> scraped = Samples.of(registry.get());
        Map<String, String> extra = new HashMap<>();
        extra.put("job", "blockwatch");
        extra.put("instance", config.instance());
        for (Series s : scraped) {
            if (s.labels().get("__name__").equals("blockwatch_probe_info")) {
                network = Map.of("asn", s.labels().getOrDefault("asn", ""), "cc", s.labels().getOrDefault("cc", ""));
            }
        }
        // A scrape that caught probe_info while it changed keeps the network last seen: series without it would be new series.
        extra.putAll(network);
        List<Series> out = new ArrayList<>(scraped.size());
        Map<String, TreeMap<String, String>> current = new HashMap<>();
        for (Series s : scraped) {
            Series labelled = s.with(extra);
            out.add(labelled);
            current.put(labelled.key(), labelled.labels());
        }
        // A series that went away (a state that changed, the probe's network that moved) is marked stale now, not in 5 minutes.
        for (Map.Entry<String, TreeMap<String, String>> gone : previous.entrySet()) {
            if (!current.containsKey(gone.getKey())) out.add(new Series(gone.getValue(), WriteRequest.STALE));
        }
        previous = current;
        byte[] request = WriteRequest.encode(out, now);
        SnappyCompressor snappy = new SnappyCompressor();
        byte[] compressed = new byte[snappy.maxCompressedLength(request.length)];
        int length = snappy.compress(request, 0, request.length, compressed, 0, compressed.length);
        long dropped = buffer.append(java.util.Arrays.copyOf(compressed, length), out.size());
        if (dropped > 0) {
            log.warn("remote write: the buffer is full; the oldest {} samples were dropped", dropped);
            listener.samples("dropped", dropped);
        }
        listener.buffered(buffer.bytes());
        return out.size();
    }

    /** Sends what waits, oldest first, until it is all sent or one fails; true when nothing is left. */
    public boolean flush() throws IOException, InterruptedException {
        for (Optional<PushBuffer.Segment> next; (next = buffer.oldest()).isPresent(); ) {
            PushBuffer.Segment s = next.get();
            HttpRequest.Builder r = HttpRequest.newBuilder(config.url()).timeout(timeout)
                    .header("Content-Encoding", "snappy").header("Content-Type", "application/x-protobuf")
                    .header("X-Prometheus-Remote-Write-Version", "0.1.0").header("User-Agent", config.userAgent())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(buffer.read(s)));
            if (config.authorization() != null) r.header("Authorization", config.authorization());
            int status;
            String body;
            try {
                // The answer's body to a bound, the whole exchange within the timeout (a body of 2 GB
                // or one that trickles must neither exhaust the heap nor stall the agent).
                HttpResponse<BoundedBody.Body> response = BoundedBody.send(http, r.build(), MAX_ANSWER, timeout);
                status = response.statusCode();
                body = response.body().utf8();
            } catch (IOException e) {
                failed("the receiver is unreachable or did not answer in time (" + e.getClass().getSimpleName() + ")");
                return false;
            }
            if (status / 100 == 2) {
                buffer.remove(s);
                listener.samples("sent", s.samples());
                backoff = Duration.ZERO;
            } else if (status / 100 == 4 && status != 429) {
                buffer.remove(s);
                listener.samples("rejected", s.samples());
                log.warn("remote write: the receiver refused {} samples for good: HTTP {} {}", s.samples(), status,
                        body.lines().findFirst().map(l -> l.length() > 200 ? l.substring(0, 200) + "..." : l).orElse(""));
            } else {
                failed("HTTP " + status);
                return false;
            }
            listener.buffered(buffer.bytes());
        }
        return true;
    }

    private void failed(String why) {
        backoff = backoff.isZero() ? FIRST_BACKOFF : backoff.multipliedBy(2);
        if (backoff.compareTo(MAX_BACKOFF) > 0) backoff = MAX_BACKOFF;
        log.info("remote write: {}; {} bytes wait on disk, next try within {} s", why, buffer.bytes(), backoff.toSeconds());
    }

    /** How long to wait before the next try after a failure (backoff, with up to half of it as jitter). */
    Duration retryIn() {
        if (backoff.isZero()) return Duration.ZERO;
        long ms = backoff.toMillis();
        return Duration.ofMillis(ms / 2 + random.nextLong(ms / 2 + 1));
    }

    private long nextCollect = Long.MIN_VALUE;
    /** No backoff running: send whenever there is something to send. */
    private static final long NO_BACKOFF = Long.MIN_VALUE;
    private long nextTry = NO_BACKOFF;

    /**
     * One turn of the loop: collects when an interval has passed, sends when no backoff is
     * running (a collection never cuts a backoff short: offline, the receiver is tried less and
     * less often, not every interval), and says how many milliseconds to wait before the next turn.
     */
    long turn() throws IOException, InterruptedException {
        long now = clock.getAsLong();
        if (nextCollect == Long.MIN_VALUE) nextCollect = now;
        if (now >= nextCollect) {
            collect();
            nextCollect = Math.max(nextCollect + config.interval().toMillis(), now + 1);
        }
        // After a success nothing waits: the next try is at the next collection (NO_BACKOFF).
        if (now >= nextTry) nextTry = flush() ? NO_BACKOFF : clock.getAsLong() + retryIn().toMillis();
        long wake = nextTry == NO_BACKOFF ? nextCollect : Math.min(nextCollect, nextTry);
        return Math.max(0, wake - clock.getAsLong());
    }

    /** Collects every interval and sends, retrying between collections, until {@code stop} counts down. */
    public void runUntil(CountDownLatch stop) {
        while (stop.getCount() > 0) {
            try {
                long wait = turn();
                if (wait > 0 && stop.await(wait, TimeUnit.MILLISECONDS)) return;
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                log.error("remote write: {}", e.toString());
                try {
                    if (stop.await(config.interval().toMillis(), TimeUnit.MILLISECONDS)) return;
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }
}
