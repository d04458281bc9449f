package org.blockwatch.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Collectors;
import org.blockwatch.agent.store.NetworkState;
import org.blockwatch.core.nettest.Speed;
import org.blockwatch.core.nettest.Measurement;
import org.blockwatch.core.nettest.Reach;
import org.blockwatch.core.step.StepKind;
import org.blockwatch.core.step.StepListener;
import org.blockwatch.core.verdict.Verdict;
import org.blockwatch.core.verdict.Verdict.Flag;
import org.blockwatch.core.verdict.Verdict.Method;
import org.blockwatch.core.verdict.Verdict.Status;

/**
 * The agent's metrics, named as {@code docs/interfaces.md} fixes them: counters through
 * Micrometer's Prometheus registry, the per-target series, the step histogram and the standard
 * JVM and process metrics straight on the Prometheus client beneath it (no {@code _max} series).
 * A target costs at most {@value #SERIES_PER_TARGET} series: its state (with the blocking method
 * as a label), its flags (one label listing them; deprecated), when it was last measured and last
 * changed, its TLS handshake time and its transfer rate; and one more for each evidence flag it
 * carries now ({@code blockwatch_target_flag{flag}}, which a selector matches exactly). A series
 * whose labels change is replaced, not kept at 0. Every counter has each of its label values at 0
 * from the start (those of {@code blockwatch_measurements_total} once {@link #measuring} names the
 * kinds): {@code increase()} over a series that appears already at 1 sees nothing, and an alert on
 * it would miss the first event. Thread-safe; a scrape never sees a target half-updated.
 */
public final class AgentMetrics implements AutoCloseable {
    /** The steps timed in {@code blockwatch_step_duration_seconds}; the control's time is its own. */
    static final List<StepKind> STEPS = List.of(StepKind.DNS, StepKind.TCP_CONNECT, StepKind.TLS_HANDSHAKE, StepKind.HTTP_RESPONSE);
    /** The series budget of one target (docs/interfaces.md), enforced by AgentMetricsTest. */
    public static final int SERIES_PER_TARGET = 6;
    /** The flags label of a target whose last measurement had none. */
    static final String NO_FLAGS = "none";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PrometheusRegistry prometheus = registry.getPrometheusRegistry();
    /** Writers of per-target series take the read side (they touch different targets); a scrape takes the write side. */
    private final ReentrantReadWriteLock consistent = new ReentrantReadWriteLock();
    private final Map<String, TargetSeries> targets = new ConcurrentHashMap<>();
    private final Gauge state;
    private final Gauge flags;
    private final Gauge flag;
    private final Gauge lastMeasured;
    private final Gauge changed;
    private final Gauge tlsHandshake;
    private final Gauge transferRate;
    private final Histogram steps;
    private final Gauge networkOnline;
    private final Gauge networkState;
    private final Gauge controlUp;
    private final Gauge uploadQueue;
    private final Gauge sweepSeconds;
    private final Gauge sweepCompleted;
    private final Info probeInfo;
    private final Gauge pushBuffer;
    private final Gauge paused;
    private final Gauge resolverIntercepted;
    private final Gauge channelOpen;
    /** The label values of the probe-wide series replaced as a whole ({@link #resolvers}, {@link #channels}), to remove those that went. */
    private final java.util.Set<List<String>> resolverLabels = new java.util.HashSet<>();
    private final java.util.Set<String> channelLabels = new java.util.HashSet<>();

    /** The labels a target's state and flags series carry now, to remove them when they change. */
    private static final class TargetSeries {
        final String category;
        String[] stateLabels;
        String flagsLabel;
        /** The flags that have a {@code blockwatch_target_flag} series now. */
        java.util.Set<String> flagSeries = java.util.Set.of();
        boolean slowerThanUsual;
        String measuredFlags = NO_FLAGS;

        TargetSeries(String category) {
            this.category = category;
        }
    }

    public AgentMetrics(String version, String asn, String cc, String network) {
        // The standard names (process_cpu_seconds_total, process_resident_memory_bytes, jvm_memory_used_bytes, ...).
        JvmMetrics.builder().register(prometheus);
        Info.builder().name("blockwatch_build_info").help("Constant 1, labelled with the blockwatch version")
                .labelNames("version").register(prometheus).setLabelValues(version);
        probeInfo = Info.builder().name("blockwatch_probe_info")
                .help("Constant 1, labelled with the probe's network (looked up before each sweep, or as the volunteer stated it); never its address")
                .labelNames("asn", "cc", "network").register(prometheus);
        probeInfo.setLabelValues(asn, cc, network);
        probeLabels = java.util.Arrays.asList(asn, cc, network);
        state = gauge("blockwatch_target_state", "1, labelled with the target's current state (accessible, blocked, down, inconclusive) and "
                + "blocking method (dns, tcp_ip, tls, http-failure, http-diff, throttling; none when not blocked)", "state", "method");
        flags = gauge("blockwatch_target_flags", "The number of evidence flags of the target's last measurement, labelled with them, comma-separated "
                + "(dns_bogon, dns_injected, tls_mitm, tls_mitm_government_root, blockpage, throttled; slower_than_usual from the target's history), "
                + "or none. Deprecated for blockwatch_target_flag, which matches exactly; removed in the next release", "flags");
        flag = gauge("blockwatch_target_flag", "1 for each evidence flag the target carries now (dns_bogon, dns_injected, dns_intercepted, tls_mitm, "
                + "tls_mitm_government_root, sni_blocked, ip_blocked, blockpage, throttled from its last measurement; slower_than_usual from its "
                + "history); absent for a flag it does not carry", "flag");
        lastMeasured = gauge("blockwatch_target_last_measured_timestamp_seconds", "When the target was last measured (Unix time)");
        changed = gauge("blockwatch_target_state_changed_timestamp_seconds", "When the target's state last changed (Unix time)");
        tlsHandshake = gauge("blockwatch_target_tls_handshake_seconds", "The target's last successful TLS handshake time (throttling shows here)");
        transferRate = gauge("blockwatch_target_transfer_bytes_per_second", "How fast the target's last page arrived, of at least 8 KiB (throttling shows here too)");
        steps = Histogram.builder().withoutExemplars().name("blockwatch_step_duration_seconds")
                .help("Duration of each measurement step of the probe: dns, tcp_connect, tls_handshake, http_response")
                .labelNames("step").classicOnly().classicUpperBounds(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30).register(prometheus);
        for (StepKind step : STEPS) steps.initLabelValues(step.label());
        networkOnline = Gauge.builder().withoutExemplars().name("blockwatch_network_online")
                .help("0 while the probe's own network is down (nothing reachable, the control included), else 1").register(prometheus);
        networkOnline.set(1);
        networkState = Gauge.builder().withoutExemplars().name("blockwatch_network_state").labelNames("state")
                .help("1 for the state of the probe's own network (online, offline, restricted: only domestic sites answer), 0 for the others")
                .register(prometheus);
        network(NetworkState.ONLINE);
        controlUp = Gauge.builder().withoutExemplars().name("blockwatch_control_up").help("Whether the last control (test helper) request succeeded").register(prometheus);
        uploadQueue = Gauge.builder().withoutExemplars().name("blockwatch_upload_queue_length")
                .help("Measurements waiting in the store for the collector (0 when uploads are off)").register(prometheus);
        sweepSeconds = Gauge.builder().withoutExemplars().name("blockwatch_sweep_duration_seconds").help("How long the last pass over the target list took")
                .register(prometheus);
        sweepCompleted = Gauge.builder().withoutExemplars().name("blockwatch_sweep_last_completed_timestamp_seconds")
                .help("When the last pass over the target list completed (Unix time)").register(prometheus);
        pushBuffer = Gauge.builder().withoutExemplars().name("blockwatch_remote_write_buffer_bytes")
                .help("Remote write requests waiting on disk for the receiver, in bytes (0 without remote write)").register(prometheus);
        paused = Gauge.builder().withoutExemplars().name("blockwatch_paused")
                .help("1 while no measurement starts: paused with 'blockwatch pause', or in the quiet hours (schedule.quiet_hours)").register(prometheus);
        resolverIntercepted = Gauge.builder().withoutExemplars().name("blockwatch_resolver_intercepted").labelNames("resolver", "engine")
                .help("1 while the plain-DNS resolver (IP:PORT, over udp or tcp) the web measurements ask is answered by someone else (its identity "
                        + "query, id.server CH TXT, gets another answer), 0 while it answers as itself; absent while unknown")
                .register(prometheus);
        channelOpen = Gauge.builder().withoutExemplars().name("blockwatch_channel_open").labelNames("channel")
                .help("1 for a way out (tcp/PORT, udp/PORT: DNS, quic/PORT) through which the port-filtering helper answered at its last check, "
                        + "0 for one it did not (a port the helper does not serve is left out)")
                .register(prometheus);
        // NaN until the first sweep ends: 0 would read as a sweep in 1970.
        sweepSeconds.set(Double.NaN);
        sweepCompleted.set(Double.NaN);
        // Counters the agent makes from its first measurement on, present (at 0) from the start.
        for (String result : UPLOAD_RESULTS) Counter.builder("blockwatch_uploads").tag("result", result).description(UPLOADS).register(registry);
        for (String result : PUSH_RESULTS) Counter.builder("blockwatch_remote_write_samples").tag("result", result).description(PUSHED).register(registry);
        for (Flag f : Flag.values()) if (f != Flag.SLOWER_THAN_USUAL) flagCounter(f.label());
        Counter.builder("blockwatch_measurements_stored").description(STORED).register(registry);
        for (String kind : STORE_ERROR_KINDS) Counter.builder("blockwatch_store_errors").tag("kind", kind).description(STORE_ERRORS).register(registry);
    }

    private Gauge gauge(String name, String help, String... more) {
        String[] labels = new String[2 + more.length];
        labels[0] = "target";
        labels[1] = "category";
        System.arraycopy(more, 0, labels, 2, more.length);
        return Gauge.builder().withoutExemplars().name(name).help(help).labelNames(labels).register(prometheus);
    }

    /** Publishes a target's state (after confirmation, or loaded from the store at start). */
    public void publish(String target, String category, Status status, Method method, Instant changedAt) {
        String[] labels = {target, category, status.label(), status == Status.BLOCKED && method != null ? method.label() : "none"};
        update(target, category, s -> {
            if (s.stateLabels != null && !java.util.Arrays.equals(s.stateLabels, labels)) state.remove(s.stateLabels);
            state.labelValues(labels).set(1);
            s.stateLabels = labels;
            if (changedAt != null) changed.labelValues(target, s.category).set(seconds(changedAt));
        });
    }

    /** A target was measured: its timestamps, speeds and flags, the counters. */
    public void measured(String target, String category, Measurement m, Instant at) {
        Verdict v = m.verdict();
        Speed speed = m.result().speed();
        update(target, category, s -> {
            lastMeasured.labelValues(target, s.category).set(seconds(at));
            if (speed.tlsHandshakeSeconds() != null) tlsHandshake.labelValues(target, s.category).set(speed.tlsHandshakeSeconds());
            if (speed.transferBytesPerSecond() != null) transferRate.labelValues(target, s.category).set(speed.transferBytesPerSecond());
            s.measuredFlags = v.flags().stream().map(f -> Flag.kindOf(f).label()).distinct().sorted().collect(Collectors.joining(","));
            setFlags(target, s);
        });
        measurementCounter(m.testName(), v.status(), v.method()).increment();
        for (String f : v.flags()) flagCounter(Flag.kindOf(f).label()).increment();
        // Only a measurement that asked the control says whether it is up.
        if (m.result().reach().control() != Reach.Control.NOT_ASKED) controlUp.set(m.result().reach().controlAnswered() ? 1 : 0);
    }

    private Counter measurementCounter(String testName, Status status, Method method) {
        return Counter.builder("blockwatch_measurements").tags("test_name", testName, "state", status.label(), "method",
                        method == null ? "none" : method.label())
                .description("Measurements made, by kind (OONI's test_name), verdict state and blocking method").register(registry);
    }

    private Counter flagCounter(String kind) {
        return Counter.builder("blockwatch_flags").tag("flag", kind)
                .description("Evidence flags seen in verdicts (blockpage names folded into 'blockpage')").register(registry);
    }

    /**
     * The kinds of measurement ({@code test_name}s) the agent will make: each state and method of
     * each gets its {@code blockwatch_measurements_total} series at 0 now (9 a kind: blocked by
     * each of the 6 methods, and accessible, down, inconclusive), not at its first measurement.
     */
    public void measuring(java.util.Collection<String> testNames) {
        for (String testName : testNames) {
            for (Status status : Status.values()) {
                if (status == Status.BLOCKED) {
                    for (Method method : Method.values()) measurementCounter(testName, status, method);
                } else {
                    measurementCounter(testName, status, null);
                }
            }
        }
    }

    /** Whether the agent found the target slower than usual (flag {@code slower_than_usual}). */
    public void slowerThanUsual(String target, String category, boolean slower) {
        update(target, category, s -> {
            s.slowerThanUsual = slower;
            setFlags(target, s);
        });
    }

    private void setFlags(String target, TargetSeries s) {
        String all = s.slowerThanUsual
                ? (s.measuredFlags.isEmpty() ? "" : s.measuredFlags + ",") + Flag.SLOWER_THAN_USUAL.label()
                : s.measuredFlags;
        String label = all.isEmpty() ? NO_FLAGS : all;
        if (s.flagsLabel != null && !s.flagsLabel.equals(label)) flags.remove(target, s.category, s.flagsLabel);
        flags.labelValues(target, s.category, label).set(label.equals(NO_FLAGS) ? 0 : label.split(",").length);
        s.flagsLabel = label;
        java.util.Set<String> now = all.isEmpty() ? java.util.Set.of() : java.util.Set.of(all.split(","));
        for (String gone : s.flagSeries) if (!now.contains(gone)) flag.remove(target, s.category, gone);
        for (String f : now) flag.labelValues(target, s.category, f).set(1);
        s.flagSeries = now;
    }

    private void update(String target, String category, java.util.function.Consumer<TargetSeries> change) {
        consistent.readLock().lock();
        try {
            TargetSeries s = targets.computeIfAbsent(target, t -> new TargetSeries(Objects.requireNonNullElse(category, "")));
            synchronized (s) {
                change.accept(s);
            }
        } finally {
            consistent.readLock().unlock();
        }
    }

    /** Measurements waiting in the store for the collector. */
    public void uploadQueue(long pending) {
        uploadQueue.set(pending);
    }

    private static final String STORED = "Measurements written to the store (blockwatch_measurements_total counts those made)";
    private static final String STORE_ERRORS = "Writes to the store that failed (a full disk, a damaged file), by what was lost: measurement, state_change, network_change";
    /** What a failed write to the store was. */
    public static final java.util.List<String> STORE_ERROR_KINDS = java.util.List.of("measurement", "state_change", "network_change");

    /** A measurement was written to the store. */
    public void stored() {
        Counter.builder("blockwatch_measurements_stored").description(STORED).register(registry).increment();
    }

    /** A write to the store failed: {@code measurement}, {@code state_change} or {@code network_change}. */
    public void storeFailed(String kind) {
        Counter.builder("blockwatch_store_errors").tag("kind", kind).description(STORE_ERRORS).register(registry).increment();
    }

    /** The results of an upload, each a series of {@code blockwatch_uploads_total} from the start. */
    public static final List<String> UPLOAD_RESULTS = List.of("sent", "rejected", "retry");
    /** What became of remote-written samples, each a series of {@code blockwatch_remote_write_samples_total} from the start. */
    public static final List<String> PUSH_RESULTS = List.of("sent", "rejected", "dropped");

    private static final String UPLOADS = "Uploads to the collector, by result: sent, rejected (4xx, not sent again), retry (5xx, timeout, refused)";

    /** An upload ended: {@code sent}, {@code rejected} (a 4xx: kept, not sent again) or {@code retry}. */
    public void uploaded(String result) {
        Counter.builder("blockwatch_uploads").tag("result", result).description(UPLOADS).register(registry).increment();
    }

    private static final String PUSHED = "Samples pushed by remote write, by result: sent, rejected (a 4xx: not sent again), dropped (the buffer was full)";

    /** Remote write: samples {@code sent}, {@code rejected} or {@code dropped}. */
    public void pushed(String result, long samples) {
        Counter.builder("blockwatch_remote_write_samples").tag("result", result).description(PUSHED).register(registry).increment(samples);
    }

    /** Whether measuring is paused now ('blockwatch pause', or the quiet hours). */
    public void paused(boolean now) {
        paused.set(now ? 1 : 0);
    }

    /** Remote write: bytes waiting on disk. */
    public void pushBuffer(long bytes) {
        pushBuffer.set(bytes);
    }

    /** The probe's network changed (or was first looked up): one series, with the new labels. */
    public synchronized void probeInfo(String asn, String cc, String network) {
        // Setting the labels removes the series, then adds it: a scrape in between (a push) sees no
        // probe_info. Each sweep says where it is; only a change is worth that instant.
        List<String> labels = java.util.Arrays.asList(asn, cc, network);
        if (labels.equals(probeLabels)) return;
        probeInfo.setLabelValues(asn, cc, network);
        probeLabels = labels;
    }

    private List<String> probeLabels;

    /** The probe's own network: online, offline (then {@code blockwatch_network_online} is 0) or restricted. */
    public void network(NetworkState now) {
        networkOnline.set(now == NetworkState.OFFLINE ? 0 : 1);
        for (NetworkState s : NetworkState.values()) networkState.labelValues(s.label()).set(s == now ? 1 : 0);
    }

    public void sweepCompleted(Duration took, Instant at) {
        sweepSeconds.set(took.toNanos() / 1e9);
        sweepCompleted.set(seconds(at));
    }

    /** A plain-DNS resolver checked for interception: its address ({@code IP:PORT}), {@code udp} or {@code tcp}, and whether it is intercepted. */
    public record ResolverState(String resolver, String engine, boolean intercepted) {}

    /**
     * The resolvers' interception as it stands: one series each, 1 intercepted, 0 not; a
     * resolver not in {@code now} (not checked, or unknown) has none.
     */
    public void resolvers(List<ResolverState> now) {
        consistent.readLock().lock();
        try {
            synchronized (resolverLabels) {
                java.util.Set<List<String>> current = new java.util.HashSet<>();
                for (ResolverState r : now) {
                    List<String> labels = List.of(r.resolver(), r.engine());
                    current.add(labels);
                    resolverIntercepted.labelValues(r.resolver(), r.engine()).set(r.intercepted() ? 1 : 0);
                }
                for (List<String> gone : resolverLabels) if (!current.contains(gone)) resolverIntercepted.remove(gone.toArray(String[]::new));
                resolverLabels.clear();
                resolverLabels.addAll(current);
            }
        } finally {
            consistent.readLock().unlock();
        }
    }

    /**
     * The port-filtering helper's last check: each channel tried, by label ({@code tcp/3785}), open
     * (1) or not (0); the channels of an earlier check not in this one go.
     */
    public void channels(Map<String, Boolean> open) {
        consistent.readLock().lock();
        try {
            synchronized (channelLabels) {
                open.forEach((channel, isOpen) -> channelOpen.labelValues(channel).set(isOpen ? 1 : 0));
                for (String gone : channelLabels) if (!open.containsKey(gone)) channelOpen.remove(gone);
                channelLabels.clear();
                channelLabels.addAll(open.keySet());
            }
        } finally {
            consistent.readLock().unlock();
        }
    }

    /** The Prometheus text exposition (format 0.0.4). */
    public String scrape() {
        return scrape("text/plain; version=0.0.4; charset=utf-8");
    }

    /** The exposition in {@code contentType}: Prometheus text, or OpenMetrics ({@code application/openmetrics-text}). */
    public String scrape(String contentType) {
        consistent.writeLock().lock();
        try {
            return registry.scrape(contentType);
        } finally {
            consistent.writeLock().unlock();
        }
    }

    /**
     * The registry's snapshot, taken as a scrape is (no target half-updated): what remote write
     * sends, read from the registry rather than from the text exposition.
     */
    public io.prometheus.metrics.model.snapshots.MetricSnapshots snapshot() {
        consistent.writeLock().lock();
        try {
            return prometheus.scrape();
        } finally {
            consistent.writeLock().unlock();
        }
    }

    /** The registry beneath, for exporters that read the same series (remote write). */
    public PrometheusRegistry registry() {
        return prometheus;
    }

    /** The listener that times every step as it ends (add it to the engine's configuration). */
    public StepListener steps() {
        return new StepListener() {
            @Override
            public void succeeded(StepKind step, String subject, Duration took) {
                record(step, took);
            }

            @Override
            public void failed(StepKind step, String subject, String failure, Duration took) {
                record(step, took);
            }
        };
    }

    private void record(StepKind step, Duration took) {
        if (STEPS.contains(step)) steps.labelValues(step.label()).observe(took.toNanos() / 1e9);
    }

    private static double seconds(Instant t) {
        return t == null ? Double.NaN : t.toEpochMilli() / 1000.0;
    }

    @Override
    public void close() {
        registry.close();
    }
}
