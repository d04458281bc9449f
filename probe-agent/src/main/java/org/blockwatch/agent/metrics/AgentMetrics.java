package org.blockwatch.agent.metrics;

import org.blockwatch.core.verdict.Verdict.Method;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Info;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.blockwatch.agent.store.NetworkState;
import org.blockwatch.agent.store.Speed;
import org.blockwatch.core.measurement.Measurement;
import org.blockwatch.core.step.StepKind;
import org.blockwatch.core.step.StepListener;
import org.blockwatch.core.verdict.Verdict;
import org.blockwatch.core.verdict.Verdict.Flag;
import org.blockwatch.core.verdict.Verdict.Status;

/**
 * The agent's metrics, named as PROBE.md fixes them, in Micrometer's Prometheus registry beside
 * the JVM's and the process's. Per-target series are state sets: every state and method series
 * of a target exists from its first publication, 1 for the current one. Thread-safe.
 */
public final class AgentMetrics implements AutoCloseable {
    /** The steps timed in {@code blockwatch_step_duration_seconds}; the control's time is its own. */
    static final List<StepKind> STEPS = List.of(StepKind.DNS, StepKind.TCP_CONNECT, StepKind.TLS_HANDSHAKE, StepKind.HTTP_RESPONSE);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Map<String, TargetSeries> targets = new ConcurrentHashMap<>();
    private final Map<StepKind, Timer> steps = new java.util.EnumMap<>(StepKind.class); // filled once in the constructor, then only read
    private final AtomicInteger networkOnline = new AtomicInteger(1);
    private final Info probeInfo;
    private final AtomicInteger controlUp = new AtomicInteger(0);
    private volatile NetworkState networkState = NetworkState.ONLINE;
    private volatile double sweepSeconds = Double.NaN;
    private volatile double uploadQueue = 0;
    private volatile double sweepCompleted = Double.NaN;

    /** A target's current values, read by its gauges. */
    private static final class TargetSeries {
        volatile Status state;
        volatile Method method;
        volatile double lastMeasured = Double.NaN;
        volatile double changed = Double.NaN;
        volatile double tlsHandshake = Double.NaN;
        volatile double transferRate = Double.NaN;
        volatile Set<Flag> flags = Set.of();
        volatile boolean slowerThanUsual;
    }

    public AgentMetrics(String version, String asn, String cc, String network) {
        // Two of Micrometer's process meters break Prometheus naming rules (promtool: a unit abbreviated in
        // process_cpu_time_ns_total, a _count suffix on a gauge); process_cpu_usage and system_cpu_usage remain.
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time") || id.getName().equals("system.cpu.count")));
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        // Info metrics go straight to the Prometheus registry: through Micrometer, a name ending in _info loses it.
        Info.builder().name("blockwatch_build_info").help("Constant 1, labelled with the blockwatch version")
                .labelNames("version").register(registry.getPrometheusRegistry()).setLabelValues(version);
        probeInfo = Info.builder().name("blockwatch_probe_info")
                .help("Constant 1, labelled with the probe's network (looked up before each sweep, or as the volunteer stated it); never its address")
                .labelNames("asn", "cc", "network").register(registry.getPrometheusRegistry());
        probeInfo.setLabelValues(asn, cc, network);
        Gauge.builder("blockwatch_network_online", networkOnline, AtomicInteger::get)
                .description("0 while the probe's own network is down (nothing reachable, the control included), else 1").register(registry);
        for (NetworkState state : NetworkState.values()) {
            Gauge.builder("blockwatch_network_state", this, m -> m.networkState == state ? 1 : 0).tag("state", state.label())
                    .description("1 for the state of the probe's own network (online, offline, restricted: only domestic sites answer), 0 for the others")
                    .register(registry);
        }
        Gauge.builder("blockwatch_control_up", controlUp, AtomicInteger::get)
                .description("Whether the last control (test helper) request succeeded").register(registry);
        Gauge.builder("blockwatch_upload_queue_length", this, m -> m.uploadQueue)
                .description("Measurements waiting in the store for the collector (0 when uploads are off)").register(registry);
        Gauge.builder("blockwatch_sweep_duration_seconds", this, m -> m.sweepSeconds)
                .description("How long the last pass over the target list took").register(registry);
        Gauge.builder("blockwatch_sweep_last_completed_timestamp_seconds", this, m -> m.sweepCompleted)
                .description("When the last pass over the target list completed (Unix time)").register(registry);
        for (StepKind step : STEPS) {
            steps.put(step, Timer.builder("blockwatch_step_duration").tag("step", step.label())
                    .description("Duration of each measurement step: dns, tcp_connect, tls_handshake, http_response")
                    .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
                            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
                            Duration.ofSeconds(30))
                    .register(registry));
        }
    }

    /** Publishes a target's state (after confirmation, or loaded from the store at start). */
    public void publish(String target, String category, Status state, Method method, Instant changedAt) {
        TargetSeries s = series(target, category);
        s.state = state;
        s.method = method;
        s.changed = seconds(changedAt);
    }

    /** A target was measured: its timestamps and TLS time, the counters and the step durations. */
    public void measured(String target, String category, Measurement m, Instant at) {
        TargetSeries s = series(target, category);
        s.lastMeasured = seconds(at);
        Speed speed = Speed.of(m);
        if (speed.tlsHandshakeSeconds() != null) s.tlsHandshake = speed.tlsHandshakeSeconds();
        if (speed.transferBytesPerSecond() != null) s.transferRate = speed.transferBytesPerSecond();
        Verdict v = m.verdict();
        s.flags = v.flags().stream().map(Flag::kindOf).collect(Collectors.toUnmodifiableSet());
        Counter.builder("blockwatch_measurements").tags("state", v.status().label(), "method", v.method() == null ? "none" : v.method().label())
                .description("Measurements made, by verdict state and blocking method").register(registry).increment();
        for (String flag : v.flags()) {
            Counter.builder("blockwatch_flags").tag("flag", Flag.kindOf(flag).label())
                    .description("Evidence flags seen in verdicts (blockpage names folded into 'blockpage')").register(registry).increment();
        }
        controlUp.set(m.control().available() ? 1 : 0);
    }

    /** Measurements waiting in the store for the collector. */
    public void uploadQueue(long pending) {
        uploadQueue = pending;
    }

    /** An upload ended: {@code sent}, {@code rejected} (a 4xx: kept, not sent again) or {@code retry}. */
    public void uploaded(String result) {
        Counter.builder("blockwatch_uploads").tag("result", result)
                .description("Uploads to the collector, by result: sent, rejected (4xx, not sent again), retry (5xx, timeout, refused)")
                .register(registry).increment();
    }

    /** The probe's network changed (or was first looked up): one series, with the new labels. */
    public void probeInfo(String asn, String cc, String network) {
        probeInfo.setLabelValues(asn, cc, network);
    }

    /** Whether the agent found the target slower than usual (flag {@code slower_than_usual}). */
    public void slowerThanUsual(String target, String category, boolean slower) {
        series(target, category).slowerThanUsual = slower;
    }

    /** The probe's own network: online, offline (then {@code blockwatch_network_online} is 0) or restricted. */
    public void network(NetworkState state) {
        networkOnline.set(state == NetworkState.OFFLINE ? 0 : 1);
        networkState = state;
    }

    public void sweepCompleted(Duration took, Instant at) {
        sweepSeconds = took.toNanos() / 1e9;
        sweepCompleted = seconds(at);
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
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
        Timer timer = steps.get(step);
        if (timer != null) timer.record(took);
    }

    private TargetSeries series(String target, String category) {
        return targets.computeIfAbsent(target, t -> {
            TargetSeries s = new TargetSeries();
            for (Status state : Status.values()) {
                Gauge.builder("blockwatch_target_state", s, x -> state == x.state ? 1 : 0)
                        .tags("target", target, "category", category, "state", state.label())
                        .description("1 for the target's current state (accessible, blocked, down, inconclusive), 0 for the others")
                        .register(registry);
            }
            for (Method method : Method.values()) {
                Gauge.builder("blockwatch_target_blocking", s, x -> x.state == Status.BLOCKED && method == x.method ? 1 : 0)
                        .tags("target", target, "category", category, "method", method.label())
                        .description("1 for the target's current blocking method, all 0 when it is not blocked")
                        .register(registry);
            }
            for (Flag flag : Flag.values()) {
                Gauge.builder("blockwatch_target_flag", s, x -> x.flags.contains(flag) || flag == Flag.SLOWER_THAN_USUAL && x.slowerThanUsual ? 1 : 0)
                        .tags("target", target, "category", category, "flag", flag.label())
                        .description("1 for each evidence flag in the target's last measurement (dns_bogon, dns_injected, tls_mitm, "
                                + "tls_mitm_government_root, blockpage, throttled; slower_than_usual from the target's history), 0 for the others")
                        .register(registry);
            }
            Gauge.builder("blockwatch_target_last_measured_timestamp_seconds", s, x -> x.lastMeasured).tags("target", target, "category", category)
                    .description("When the target was last measured (Unix time)").register(registry);
            Gauge.builder("blockwatch_target_state_changed_timestamp_seconds", s, x -> x.changed).tags("target", target, "category", category)
                    .description("When the target's state last changed (Unix time)").register(registry);
            Gauge.builder("blockwatch_target_tls_handshake_seconds", s, x -> x.tlsHandshake).tags("target", target, "category", category)
                    .description("The target's last successful TLS handshake time (throttling shows here)").register(registry);
            Gauge.builder("blockwatch_target_transfer_bytes_per_second", s, x -> x.transferRate).tags("target", target, "category", category)
                    .description("How fast the target's last page arrived, of at least 8 KiB (throttling shows here too)").register(registry);
            return s;
        });
    }

    private static double seconds(Instant t) {
        return t == null ? Double.NaN : t.toEpochMilli() / 1000.0;
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
