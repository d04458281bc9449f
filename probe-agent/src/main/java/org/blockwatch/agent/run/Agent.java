package org.blockwatch.agent.run;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.blockwatch.agent.metrics.AgentMetrics;
import org.blockwatch.agent.metrics.MetricsServer;
import org.blockwatch.agent.schedule.BandwidthBudget;
import org.blockwatch.agent.schedule.Sweeper;
import org.blockwatch.agent.settings.Keys;
import org.blockwatch.agent.settings.ProbeFactory;
import org.blockwatch.agent.settings.Settings;
import org.blockwatch.agent.sink.MeasurementSink;
import org.blockwatch.agent.store.StoreException;
import org.blockwatch.agent.upload.CollectorClient;
import org.blockwatch.agent.upload.Uploader;
import org.blockwatch.agent.push.PushBuffer;
import org.blockwatch.agent.schedule.Pause;
import org.blockwatch.agent.store.NetworkState;
import org.blockwatch.agent.schedule.QuietHours;
import java.util.Optional;
import org.blockwatch.agent.push.RemoteWriter;
import java.net.http.HttpClient;
import java.nio.file.Path;
import org.blockwatch.agent.store.MeasurementStore;
import org.blockwatch.agent.targets.Target;
import org.blockwatch.agent.units.Units;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.archival.ResolverInterception;
import org.blockwatch.core.nettest.Measurement;
import org.blockwatch.core.nettest.Nettest;
import org.blockwatch.core.portfiltering.ChannelOutcome;
import org.blockwatch.core.portfiltering.PortFiltering;
import org.blockwatch.core.portfiltering.PortFilteringResult;
import org.blockwatch.agent.settings.SettingsException;
import org.blockwatch.core.engine.WebEngine;
import org.blockwatch.core.step.StepListener;
import org.blockwatch.core.nettest.Nettests;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running agent: sweeps the targets on a schedule (interval plus random jitter; a shorter
 * wait while the network is down), stores every measurement and serves the metrics, until
 * stopped. Owns and closes the engine, the store and the metrics server.
 */
public final class Agent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Agent.class);
    /** While the probe's own network is down, it is looked at again this often (or each interval, if shorter). */
    static final Duration OFFLINE_RECHECK = Duration.ofMinutes(1);
    /** How long in-flight measurements may finish after a stop before they are abandoned (never half-stored). */
    static final Duration STOP_GRACE = Duration.ofSeconds(3);

    private final Settings settings;
    private final List<Target> targets;
    /** The fast tier's targets and the domestic baselines that tell the network's state; empty without a tier. */
    private final List<Target> fastSweep;
    private final WebEngine engine;
    private final WebEngine fastEngine; // null without a fast tier
    private final MeasurementStore store;
    private final AgentMetrics metrics;
    private final MetricsServer server;
    private final Sweeper sweeper;
    private final ProbeLocation location;
    private final MeasurementSink sink;
    /** Null when no collector is configured. */
    private final Uploader uploader;
    private final RemoteWriter pusher;
    private final Pause pause;
    private final Reachability reachability;
    private final java.util.concurrent.Semaphore uploadWake = new java.util.concurrent.Semaphore(0);
    private final BandwidthBudget bandwidth;
    /** The port-filtering helper's check (issue 31): its kind and input, or null when it is off. */
    private final Nettest portFiltering;
    private final String portFilterHelper;
    private final Duration portFilterInterval;
    /** When the helper was last checked (null: not since the agent started), and the network's state at the sweep before. */
    private volatile Instant lastPortCheck;
    private volatile NetworkState lastSweepNetwork;
    /** The category the port-filtering measurements are stored and counted under: circumvention, what the ways out are for. */
    public static final String PORT_FILTERING_CATEGORY = "ANON";
    /** Each request to the collector, at most. */
    static final Duration UPLOAD_TIMEOUT = Duration.ofSeconds(30);
    /** How long a stopping agent spends on its last uploads, at most. */
    static final Duration LAST_UPLOADS = Duration.ofSeconds(10);
    /** The queue is looked at this often even when nothing new was stored (retries come due). */
    static final Duration UPLOAD_RECHECK = Duration.ofSeconds(30);
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Random random = new SecureRandom();

    /**
     * @param parts the engine, control and analysis the settings make ({@link ProbeFactory#probe})
     * @param store the open store, which the agent closes
     */
    public Agent(Settings settings, List<Target> targets, ProbeFactory.Parts parts, MeasurementStore store, String version) throws Exception {
        this.settings = settings;
        this.targets = List.copyOf(targets);
        this.store = store;
        this.location = new ProbeLocation(settings, version);
        this.reachability = Reachability.of(settings.controlHelpers(), this.targets,
                Duration.ofSeconds(5));
        this.pause = Pause.ofStore(store.path(), QuietHours.parse(settings.get(Keys.QUIET_HOURS)));
        ProbeInfo probe = location.stated();
        this.metrics = new AgentMetrics(version, probe.asn(), probe.cc(), probe.networkName());
        StepListener listener = StepListener.all(List.of(metrics.steps(), new StepLog()));
        this.engine = parts.newEngine(listener);
        Nettests kinds = parts.nettests(engine, listener);
        List<String> fastCategories = settings.get(Keys.FAST_CATEGORIES);
        List<Target> fast = this.targets.stream().filter(t -> fastCategories.contains(t.category())).toList();
        this.fastSweep = fast.isEmpty() ? List.of()
                : this.targets.stream().filter(t -> fast.contains(t) || t.domestic()).toList();
        this.fastEngine = fast.isEmpty() ? null : parts.newEngine(listener, settings.get(Keys.FAST_BODY_LIMIT));
        // The fast tier's pages keep less of each body: Web Connectivity on an engine of its own.
        Nettests fastKinds = fastEngine == null ? kinds : parts.nettests(fastEngine, listener);
        try {
            this.sink = new MeasurementSink(store, metrics, probe);
            this.bandwidth = new BandwidthBudget(settings.get(Keys.BANDWIDTH_PER_HOUR));
            String collector = settings.get(Keys.UPLOAD_COLLECTOR);
            if (collector != null) {
                CollectorClient client = new CollectorClient(collector, ProbeFactory.token(settings.get(Keys.UPLOAD_TOKEN_FILE), Keys.UPLOAD_TOKEN_FILE),
                        UPLOAD_TIMEOUT);
                this.uploader = new Uploader(store, client, bandwidth, metrics, Clock.systemUTC(), random);
                sink.uploadTo(uploadWake::release);
            } else {
                this.uploader = null;
            }
            this.sweeper = new Sweeper(t -> Nettests.measure((fast.contains(t) ? fastKinds : kinds).require(t.testName()), t.input()), sink,
                    bandwidth, settings.get(Keys.CONCURRENCY), settings.get(Keys.SWEEP_BUDGET),
                    Clock.systemUTC(), random);
            this.pusher = pusher(settings, version);
            this.lastSweepNetwork = sweeper.network();
            String helper = settings.get(Keys.PORTFILTERING_HELPER);
            boolean ports = settings.get(Keys.TESTS_ENABLED).contains(PortFiltering.TEST_NAME);
            if (ports && helper == null) {
                throw new SettingsException(Keys.TESTS_ENABLED.name() + ": portfiltering needs a helper, and " + Keys.PORTFILTERING_HELPER.name()
                        + " is not set");
            }
            if (!ports && helper != null) log.info("{} is set, but portfiltering is not in {}: the helper is not checked",
                    Keys.PORTFILTERING_HELPER.name(), Keys.TESTS_ENABLED.name());
            this.portFiltering = ports ? kinds.require(PortFiltering.TEST_NAME) : null;
            // alerts32: every kind measured has its counters at 0 before its first measurement.
            metrics.measuring(java.util.stream.Stream.concat(this.targets.stream().map(Target::testName),
                    ports ? java.util.stream.Stream.of(PortFiltering.TEST_NAME) : java.util.stream.Stream.empty()).distinct().toList());
            this.portFilterHelper = helper;
            this.portFilterInterval = settings.get(Keys.PORTFILTERING_INTERVAL);
            this.server = new MetricsServer(settings.get(Keys.METRICS_LISTEN), metrics);
        } catch (Exception e) {
            engine.close();
            if (fastEngine != null) fastEngine.close();
            metrics.close();
            throw e;
        }
    }

    /** Remote write, or null without metrics.remote_write.url. */
    private RemoteWriter pusher(Settings settings, String version) throws java.io.IOException {
        // Named after the store, beside it: two agents with stores in one folder keep apart.
        Path store = this.store.path();
        RemoteWriter.Config config = ProbeFactory.remoteWrite(settings, MeasurementStore.beside(store, ".probe-name"), version);
        if (config == null) return null;
        PushBuffer buffer = new PushBuffer(MeasurementStore.beside(store, ".remote-write"), settings.get(Keys.REMOTE_WRITE_BUFFER));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        log.info("remote write: pushing as {} to {} every {} s", config.instance(), config.url(), config.interval().toSeconds());
        return new RemoteWriter(config, buffer, metrics::snapshot, new RemoteWriter.Listener() {
            @Override
            public void samples(String result, long count) {
                metrics.pushed(result, count);
            }

            @Override
            public void buffered(long bytes) {
                metrics.pushBuffer(bytes);
            }
        }, http, System::currentTimeMillis, random);
    }

    /** Remote write, or null without it (tests drive it). */
    public RemoteWriter pusher() {
        return pusher;
    }

    public InetSocketAddress metricsAddress() {
        return server.address();
    }

    public Sweeper sweeper() {
        return sweeper;
    }

    /** One sweep over every target now (tests, and each full turn of {@link #runUntil}). */
    public Sweeper.Result sweepOnce() throws InterruptedException {
        return sweep(targets);
    }

    /**
     * Where the probe is, looked up again (cheaply: one STUN request and one DNS query when nothing
     * changed), then a sweep, then what the sweep's measurements found of the resolvers they asked.
     */
    private Sweeper.Result sweep(List<Target> which) throws InterruptedException {
        ProbeLocation.Located here = location.refresh();
        sink.located(here.probe(), here.scrubber());
        Sweeper.Result r = sweeper.sweep(which, stopping);
        resolversChecked();
        checkPortsIfDue(r.network());
        return r;
    }

    /**
     * The port-filtering helper checked after this sweep, when it is on and due: while the
     * network is restricted (what still works: after every sweep), after a sweep that changed the
     * network's state, and otherwise every {@code tests.portfiltering.interval} (the first after
     * the first sweep). Never while offline (nothing gets out), paused or stopping. Its
     * measurement is stored, counted and uploaded as any other; its channels go to the metrics,
     * and while restricted to the store and the log.
     */
    private void checkPortsIfDue(NetworkState network) {
        NetworkState before = lastSweepNetwork;
        lastSweepNetwork = network;
        if (portFiltering == null || network == NetworkState.OFFLINE || stopping.get() || pause.at(Instant.now()).isPresent()) return;
        Instant now = Instant.now();
        boolean due = network == NetworkState.RESTRICTED || network != before || lastPortCheck == null
                || !now.isBefore(lastPortCheck.plus(portFilterInterval));
        if (!due || !bandwidth.allows(now)) return;
        lastPortCheck = now;
        Measurement m = Nettests.measure(portFiltering, portFilterHelper);
        bandwidth.spend(Instant.now(), m.result().bytes());
        Instant at = m.result().startTime().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        sink.measured(portFilterHelper, PORT_FILTERING_CATEGORY, m, at);
        if (!(m.result() instanceof PortFilteringResult result)) return; // a crash: stored as such, and logged by the sink
        if (result.failure() != null) {
            log.warn("port filtering: nothing tried with {} ({})", portFilterHelper, result.failure());
            return;
        }
        java.util.Map<String, Boolean> channels = new java.util.LinkedHashMap<>();
        for (ChannelOutcome o : result.channels()) {
            if (o.status() != ChannelOutcome.Status.NOT_SERVED) channels.put(o.channel().label(), o.open());
        }
        sink.channelsChecked(network, channels, now);
    }

    /**
     * The interception checks of the resolvers the web measurements asked, as they stand (read,
     * nothing asked): in the metrics, and in the log when a resolver is found answered by someone
     * else, or back to itself. One set of checks serves every engine of the agent.
     */
    private void resolversChecked() {
        List<ResolverInterception> checks = engine.interception().states();
        for (ResolverInterception r : checks) {
            ResolverInterception.Status before = resolverStates.put(r.engine() + " " + r.resolverAddress(), r.status());
            if (r.status() == ResolverInterception.Status.INTERCEPTED && before != ResolverInterception.Status.INTERCEPTED) {
                log.warn("DNS: {}", InterceptionText.line(r));
            } else if (r.status() == ResolverInterception.Status.NOT_INTERCEPTED && before == ResolverInterception.Status.INTERCEPTED) {
                log.info("DNS: {} answers as itself again", r.resolverAddress());
            }
        }
        metrics.resolvers(known(checks));
    }

    /** The checks whose status is known, as the metrics take them (an unknown one has no series). */
    public static List<AgentMetrics.ResolverState> known(List<ResolverInterception> checks) {
        return checks.stream().filter(r -> r.status() != ResolverInterception.Status.UNKNOWN)
                .map(r -> new AgentMetrics.ResolverState(r.resolverAddress(), r.engine(), r.status() == ResolverInterception.Status.INTERCEPTED))
                .toList();
    }

    /** Each checked resolver's last status ({@code engine address}), to log a change once. */
    private final java.util.Map<String, ResolverInterception.Status> resolverStates = new java.util.concurrent.ConcurrentHashMap<>();

    /** The fast tier's targets (with the domestic baselines), measured between full sweeps; empty without a tier. */
    public List<Target> fastSweep() {
        return fastSweep;
    }

    /**
     * Sweeps on schedule (full sweeps each interval, the fast tier between them) until {@code stop}
     * counts down; in-flight measurements get a short grace, then the call returns.
     */
    public void runUntil(CountDownLatch stop) throws InterruptedException {
        Thread uploads = uploader == null ? null : Thread.ofVirtual().name("upload").start(() -> uploadUntil(stop));
        Thread pushes = pusher == null ? null : Thread.ofVirtual().name("remote-write").start(() -> pusher.runUntil(stop));
        try {
            sweepUntil(stop);
        } finally {
            if (pushes != null) {
                pushes.interrupt();
                pushes.join(STOP_GRACE.toMillis());
            }
            if (uploads != null) {
                uploads.interrupt();
                uploads.join(STOP_GRACE.toMillis());
                lastUploads();
            }
        }
    }

    /** On the way out, one more pass (bounded): what the last sweep stored goes now, not at the next start. */
    private void lastUploads() throws InterruptedException {
        Thread last = Thread.ofVirtual().name("upload-last").start(() -> {
            try {
                Uploader.Pass p = uploader.uploadDue();
                if (p.sent() > 0) log.info("stopping: {} measurements uploaded", p.sent());
            } catch (StoreException | RuntimeException e) {
                log.warn("stopping: the last uploads failed ({}); they wait in the store", e.getMessage());
            }
        });
        if (!last.join(LAST_UPLOADS)) log.info("stopping: uploads still waiting stay in the store for the next start");
    }

    /** The uploader's loop: a pass whenever a measurement was queued, and every half minute for retries. Never in a sweep's way. */
    private void uploadUntil(CountDownLatch stop) {
        while (stop.getCount() > 0 && !Thread.currentThread().isInterrupted()) {
            try {
                Uploader.Pass p = uploader.uploadDue();
                if (p.sent() + p.rejected() > 0) log.debug("upload: {} sent, {} rejected, {} to retry", p.sent(), p.rejected(), p.retried());
                uploadWake.tryAcquire(UPLOAD_RECHECK.toMillis(), TimeUnit.MILLISECONDS);
                uploadWake.drainPermits();
            } catch (InterruptedException e) {
                return;
            } catch (StoreException | RuntimeException e) {
                log.error("upload: {}", e.getMessage());
                try {
                    if (stop.await(UPLOAD_RECHECK.toMillis(), TimeUnit.MILLISECONDS)) return;
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** The uploader, or null without a collector (tests drive it). */
    public Uploader uploader() {
        return uploader;
    }

    private void sweepUntil(CountDownLatch stop) throws InterruptedException {
        Schedule schedule = new Schedule(fastSweep.isEmpty() ? null : settings.get(Keys.FAST_INTERVAL), this::nextWait);
        Schedule.Turn turn = schedule.first(Instant.now());
        Duration offlineWait = null;
        while (stop.getCount() > 0) {
            if (!waitWhilePaused(stop)) return;
            // Offline: one cheap look (a lookup and a connection) instead of a sweep, less and less often.
            if (sweeper.network() == NetworkState.OFFLINE && reachability != null) {
                Reachability.Look look = reachability.look();
                if (!look.reachable()) {
                    offlineWait = Reachability.backoff(offlineWait, OFFLINE_RECHECK, settings.get(Keys.INTERVAL));
                    log.info("network: still offline ({}); next look in {}", look.why(), Units.duration(offlineWait));
                    if (stop.await(offlineWait.toMillis(), TimeUnit.MILLISECONDS)) return;
                    continue;
                }
                log.info("network: {}: sweeping", look.why());
                offlineWait = null;
            }
            Schedule.Turn now = turn;
            int size = (now.full() ? targets : fastSweep).size();
            log.info("{}: {} targets, {} at a time", now.full() ? "sweep" : "fast sweep", size, settings.get(Keys.CONCURRENCY));
            CountDownLatch swept = new CountDownLatch(1);
            Thread sweep = Thread.ofPlatform().daemon().name("sweep").start(() -> {
                try {
                    Sweeper.Result r = sweep(now.full() ? targets : fastSweep);
                    // Between sweeps the agent holds little (about 12 MB live with 2,000 targets), but the
                    // heap a sweep grew stays committed until a full collection, which a small live set
                    // rarely brings: one now lets the collector give it back (-XX:MaxHeapFreeRatio), so that
                    // an idle agent's RSS is what it holds. It costs some milliseconds a sweep.
                    System.gc();
                    log.info("{}: {} measured, {} skipped, {} failed, network {}, took {} (ideal {})", now.full() ? "sweep" : "fast sweep",
                            r.measured(), r.skipped(), r.failed(), r.network().label(), Units.duration(r.took()), Units.duration(r.ideal()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    log.error("sweep failed: {}", e.toString());
                } finally {
                    swept.countDown();
                }
            });
            long checked = System.nanoTime();
            long told = System.nanoTime();
            while (!swept.await(200, TimeUnit.MILLISECONDS)) {
                if (System.nanoTime() - told > PROGRESS_EVERY.toNanos()) {
                    told = System.nanoTime();
                    int[] p = sweeper.progress();
                    log.info("{}: {} of {} done", now.full() ? "sweep" : "fast sweep", p[0], p[1]);
                }
                // A pause (or the quiet hours beginning) ends the sweep early: no new measurement starts.
                if (System.nanoTime() - checked > PAUSE_CHECK.toNanos()) {
                    checked = System.nanoTime();
                    if (pause.at(Instant.now()).isPresent() && !stopping.get()) {
                        log.info("pausing: no new measurement starts in this sweep");
                        stopping.set(true);
                    }
                }
                if (stop.getCount() == 0) {
                    stopping.set(true);
                    if (!swept.await(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                        log.info("stopping: measurements still in flight are abandoned (nothing of them was stored)");
                        sweep.interrupt();
                    }
                    return;
                }
            }
            if (stop.getCount() > 0) stopping.set(false); // a sweep ended by a pause; the next one measures
            turn = schedule.after(now, Instant.now());
            Duration wait = Duration.between(Instant.now(), turn.at());
            log.info("next {} at {} (in {})", turn.full() ? "sweep" : "fast sweep",
                    turn.at().atZone(java.time.ZoneId.systemDefault()).toLocalTime().withNano(0), Units.duration(wait.isNegative() ? Duration.ZERO : wait));
            if (!wait.isNegative() && stop.await(wait.toMillis(), TimeUnit.MILLISECONDS)) return;
        }
    }

    /** A long sweep says how far it is this often. */
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);
    /** How often a running sweep looks at the pause (a file read). */
    static final Duration PAUSE_CHECK = Duration.ofSeconds(2);
    /** How often a paused agent looks again (a resume takes effect within this). */
    static final Duration PAUSED_RECHECK = Duration.ofSeconds(5);

    /** Waits while paused or in quiet hours; false when stopped meanwhile. */
    private boolean waitWhilePaused(CountDownLatch stop) throws InterruptedException {
        boolean said = false;
        for (Optional<Pause.Until> p; (p = pause.at(Instant.now())).isPresent(); ) {
            metrics.paused(true);
            if (!said) {
                log.info("{}: no measurement starts {}", p.get().reason(), p.get().indefinite() ? "until 'blockwatch resume'"
                        : "until " + p.get().until().atZone(java.time.ZoneId.systemDefault()).toLocalDateTime().withNano(0));
                said = true;
            }
            // Instant.MAX (until resumed) is beyond what a Duration holds in milliseconds.
            Duration left = p.get().indefinite() ? PAUSED_RECHECK : Duration.between(Instant.now(), p.get().until());
            long wait = Math.max(1, Math.min(PAUSED_RECHECK.toMillis(), left.toMillis()));
            if (stop.await(wait, TimeUnit.MILLISECONDS)) return false;
        }
        if (said) log.info("measuring again");
        metrics.paused(false);
        return true;
    }

    /** The pause and quiet hours the agent obeys. */
    public Pause pause() {
        return pause;
    }

    /** The interval with random jitter either side; a shorter wait while the network is down. */
    Duration nextWait() {
        Duration wait = settings.get(Keys.INTERVAL);
        long jitter = settings.get(Keys.JITTER).toMillis();
        if (jitter > 0) wait = wait.plusMillis(random.nextLong(-jitter, jitter + 1));
        if (!sweeper.online() && wait.compareTo(OFFLINE_RECHECK) > 0) wait = OFFLINE_RECHECK;
        return wait.isNegative() ? Duration.ZERO : wait;
    }

    @Override
    public void close() {
        stopping.set(true);
        server.close();
        engine.close();
        if (fastEngine != null) fastEngine.close();
        store.close();
        metrics.close();
    }
}
