package org.blockwatch.agent.sink;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.blockwatch.agent.metrics.AgentMetrics;
import org.blockwatch.agent.store.MeasurementStore;
import org.blockwatch.agent.store.NetworkState;
import org.blockwatch.core.nettest.Speed;
import org.blockwatch.agent.store.StoreException;
import org.blockwatch.agent.store.StoredMeasurement;
import org.blockwatch.agent.store.TargetState;
import org.blockwatch.core.archival.ProbeAddressScrubber;
import org.blockwatch.core.archival.MeasurementUid;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.archival.Report;
import org.blockwatch.core.nettest.Measurement;
import org.blockwatch.core.nettest.OoniDocument;
import org.blockwatch.core.verdict.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where every measurement and every published change goes: the store, the metrics and the log,
 * in that order, the same for the agent's sweeps and the demo. A store that fails is logged by
 * name and the metrics still move: a measurement is never silently lost.
 */
public final class MeasurementSink {
    private static final Logger log = LoggerFactory.getLogger(MeasurementSink.class);

    private final MeasurementStore store;
    private final AgentMetrics metrics;
    private volatile ProbeInfo probe;
    private volatile ProbeAddressScrubber scrubber = ProbeAddressScrubber.NONE;
    /** The sweep's start (null before the first sweep) and its reports, one per kind opened at its first measurement. */
    private volatile Instant sweepStart;
    private final java.util.concurrent.ConcurrentHashMap<String, Report> reports = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Runnable uploadQueued;

    public MeasurementSink(MeasurementStore store, AgentMetrics metrics, ProbeInfo probe) {
        this.store = store;
        this.metrics = metrics;
        this.probe = probe;
    }

    public ProbeInfo probe() {
        return probe;
    }

    /**
     * Where the next measurements are made: their labels, and the probe's addresses to scrub from
     * them. A change of network shows in {@code blockwatch_probe_info}.
     */
    public void located(ProbeInfo probe, ProbeAddressScrubber scrubber) {
        this.probe = probe;
        this.scrubber = scrubber;
        metrics.probeInfo(probe.asn(), probe.cc(), probe.networkName());
    }

    /**
     * From now on every stored measurement also takes its place in the upload queue (in the same
     * transaction), and {@code queued} is told, to wake the uploader.
     */
    public void uploadTo(Runnable queued) {
        this.uploadQueued = queued;
    }

    /**
     * A sweep starts: its measurements of one kind are one report (one report_id and
     * test_start_time), as an OONI Probe's run opens one report per nettest: the report id names
     * the test, the country and the network (OONI's shape), so each kind has its own.
     */
    public void sweepStarted(Instant at) {
        reports.clear();
        sweepStart = at;
    }

    /**
     * The measurement as stored, uploaded and exported ({@link OoniDocument}): with the sweep's
     * report, a stable {@code measurement_uid}, the target's category, every address of the probe
     * replaced.
     */
    String json(Measurement m, ProbeInfo probe, String uid, String category) {
        Instant start = sweepStart;
        Report r = start == null ? Report.none(m.result().startTime())
                : reports.computeIfAbsent(m.testName(), t -> Report.open(start, t, probe.cc(), probe.asn()));
        return OoniDocument.write(m, probe, new OoniDocument.Place(r, uid, category), scrubber);
    }

    /** A measurement was made: stored (its id, or null when storing failed), counted, logged at DEBUG. */
    public Long measured(String target, String category, Measurement m, Instant at) {
        Verdict v = m.verdict();
        ProbeInfo probe = this.probe;
        Long id = null;
        try {
            String uid = MeasurementUid.next(at, probe.cc(), m.testName());
            Runnable queued = uploadQueued;
            id = store.insert(new StoredMeasurement(at, m.testName(), target, category, probe, v.status(), v.method(), v.flags(),
                    m.result().speed(), uid, json(m, probe, uid, category)), queued != null);
            metrics.stored();
            if (queued != null) queued.run();
        } catch (StoreException e) {
            metrics.storeFailed("measurement");
            log.error("{}", e.getMessage());
        }
        metrics.measured(target, category, m, at);
        if (log.isDebugEnabled()) {
            log.debug("{}: {} {} ({}) {}", target, v.status().label(), v.method() == null ? "" : v.method().label(), v.explanation(),
                    m.result().summary());
        }
        return id;
    }

    /**
     * A target's new state is published, confirmed by the measurement {@code measurementId}:
     * recorded as a state change, set in the metrics, logged at INFO with what it was before.
     * When the store refuses it (a full disk), nothing is published and {@code previous} is
     * returned: the state stays as the store has it, so the change is found, confirmed and
     * recorded again at the next sweep rather than lost while memory moves on.
     */
    public TargetState published(String target, String category, Verdict v, Long measurementId, Instant at, TargetState previous) {
        try {
            store.recordStateChange(at, target, category, v.status(), v.method(), measurementId, probe);
        } catch (StoreException e) {
            metrics.storeFailed("state_change");
            log.error("{}: {} -> {} not recorded ({}); tried again at the next sweep", target, previous == null ? "(new)" : previous.state().label(),
                    v.status().label(), e.getMessage());
            return previous;
        }
        metrics.publish(target, category, v.status(), v.method(), at);
        log.info("{}: {} -> {}{}: {}", target, previous == null ? "(new)" : previous.state().label(), v.status().label(),
                v.method() == null ? "" : " (" + v.method().label() + ")", v.explanation());
        return new TargetState(target, category, v.status(), v.method(), at, at);
    }

    /** Where the last run ended: each target's published state and the network's, set again in the metrics. */
    public record Restored(Map<String, TargetState> states, NetworkState network, Map<String, List<Speed>> speeds) {}

    public Restored restore() throws StoreException {
        Map<String, TargetState> states = store.currentStates();
        for (TargetState s : states.values()) metrics.publish(s.target(), s.category(), s.state(), s.method(), s.changedAt());
        NetworkState network = store.networkState() == null ? NetworkState.ONLINE : store.networkState();
        metrics.network(network);
        return new Restored(states, network, store.recentSpeeds(Speed.HISTORY));
    }

    /** The probe's own network went offline, restricted, or came back, as of {@code at}. */
    public void networkChanged(NetworkState state, Instant at) {
        metrics.network(state);
        try {
            store.recordNetworkChange(at, state, probe);
        } catch (StoreException e) {
            metrics.storeFailed("network_change");
            log.error("{}", e.getMessage());
        }
        switch (state) {
            case ONLINE -> log.info("network: online again; measuring as usual");
            case OFFLINE -> log.warn("network: offline (nothing answered, the control included); no target state is changed until it returns");
            case RESTRICTED -> log.warn("network: restricted (only domestic sites answer; the control and every foreign site do not): an "
                    + "international cut or a whitelist shutdown; no target state is changed until it ends");
        }
    }

    /**
     * The port-filtering helper was checked at {@code at}, while the network was {@code network}:
     * each channel tried, in order, open or not ({@code tcp/3785}: true). Set in the metrics; while
     * restricted, the open ones are kept with the network's state in the store and logged as what
     * still works.
     */
    public void channelsChecked(NetworkState network, Map<String, Boolean> channels, Instant at) {
        metrics.channels(channels);
        List<String> open = channels.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
        List<String> closed = channels.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList();
        if (network != NetworkState.RESTRICTED) {
            log.info("port filtering: open: {}; closed: {}", open.isEmpty() ? "none" : String.join(", ", open),
                    closed.isEmpty() ? "none" : String.join(", ", closed));
            return;
        }
        try {
            store.recordOpenChannels(open, at);
        } catch (StoreException e) {
            metrics.storeFailed("network_change");
            log.error("{}", e.getMessage());
        }
        log.warn("network: restricted; still open: {}", open.isEmpty() ? "nothing (no channel reached the port-filtering helper)"
                : String.join(", ", open));
    }

    /**
     * A target's speed judged against its history: {@code slowdown} says how it is slower than
     * usual (logged when it becomes so), null when it is back to usual after {@code was} slower.
     */
    public void speedJudged(String target, String category, String slowdown, boolean was) {
        metrics.slowerThanUsual(target, category, slowdown != null);
        if (slowdown != null && !was) log.warn("{}: slower than usual: {}", target, slowdown);
        else if (slowdown == null && was) log.info("{}: as fast as usual again", target);
    }

    public void sweepCompleted(Duration took, Instant at) {
        metrics.sweepCompleted(took, at);
    }
}
