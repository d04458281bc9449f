package org.blockwatch.agent.schedule;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.blockwatch.core.nettest.Speed;

/**
 * Each target's speed over time, and whether it has become slower than usual: the kind of
 * throttling a single measurement cannot prove (no threshold crossed, no other name to compare
 * with), seen as a sustained rise against the target's own history while the baselines measured
 * in the same sweep stayed as they were (otherwise it is the volunteer's line that is slow).
 *
 * <p>Slower than usual: the last {@value #SUSTAINED} TLS handshakes each took at least
 * {@value #FACTOR} times the median of the earlier ones (and {@value #MIN_RISE_SECONDS} s more),
 * or the last {@value #SUSTAINED} pages each arrived at most a {@value #FACTOR}th of the earlier
 * median rate; the earlier history holds at least {@value #MIN_USUAL} values; and the median of the
 * baselines' own ratios in the sweep (domestic targets and category CTRL, else every other target
 * measured) is under {@value #NETWORK_FACTOR}. Thread-safe.
 */
public final class SpeedTrend {
    /** Values kept per target and measure. */
    static final int HISTORY = Speed.HISTORY;
    static final int SUSTAINED = 3;
    static final int MIN_USUAL = 5;
    static final double FACTOR = 4;
    static final double MIN_RISE_SECONDS = 0.25;
    static final double NETWORK_FACTOR = 2;

    /** What is slower, and by how much: the recent values against the usual (earlier median). */
    public record Slowdown(String measure, double recent, double usual, double factor, String unit) {
        public String explanation() {
            return String.format(Locale.ROOT, "%s %s, %.1f times slower than its usual %s over its last %d measurements, while the baselines "
                    + "measured in the same sweep were as fast as usual", measure, format(recent), factor, format(usual), SUSTAINED);
        }

        private String format(double v) {
            return unit.equals("s") ? String.format(Locale.ROOT, "%.2f s", v) : String.format(Locale.ROOT, "%.0f B/s", v);
        }
    }

    private final Map<String, History> histories = new HashMap<>();

    /** One target's recent values of each measure, oldest first. */
    private static final class History {
        final Deque<Double> handshakes = new ArrayDeque<>();
        final Deque<Double> rates = new ArrayDeque<>();

        void add(Speed s) {
            push(handshakes, s.tlsHandshakeSeconds());
            push(rates, s.transferBytesPerSecond());
        }

        private static void push(Deque<Double> values, Double v) {
            if (v == null || !Double.isFinite(v)) return;
            values.addLast(v);
            if (values.size() > HISTORY) values.removeFirst();
        }
    }

    /** Sets the history kept from earlier runs (oldest first per target). */
    public synchronized void restore(Map<String, List<Speed>> speeds) {
        speeds.forEach((target, list) -> list.forEach(s -> history(target).add(s)));
    }

    public synchronized void record(String target, Speed speed) {
        if (speed.known()) history(target).add(speed);
    }

    private History history(String target) {
        return histories.computeIfAbsent(target, t -> new History());
    }

    /**
     * Which of {@code measured} (the targets of one sweep) are slower than usual. {@code baseline}
     * tells which targets are baselines; when none of the sweep is, every other target serves.
     */
    public synchronized Map<String, Slowdown> slower(Collection<String> measured, Function<String, Boolean> baseline) {
        List<String> baselines = measured.stream().filter(baseline::apply).toList();
        Map<String, Slowdown> out = new HashMap<>();
        for (String target : measured) {
            History h = histories.get(target);
            if (h == null) continue;
            List<String> others = (baselines.isEmpty() ? measured : baselines).stream().filter(t -> !t.equals(target)).toList();
            Optional<Slowdown> slow = handshakeSlowdown(h.handshakes)
                    .filter(s -> !networkSlower(others, x -> x.handshakes, false))
                    .or(() -> rateSlowdown(h.rates).filter(s -> !networkSlower(others, x -> x.rates, true)));
            slow.ifPresent(s -> out.put(target, s));
        }
        return out;
    }

    static Optional<Slowdown> handshakeSlowdown(Deque<Double> values) {
        if (values.size() < MIN_USUAL + SUSTAINED) return Optional.empty();
        double[] all = values.stream().mapToDouble(Double::doubleValue).toArray();
        double usual = median(Arrays.copyOfRange(all, 0, all.length - SUSTAINED));
        double recent = Arrays.stream(all, all.length - SUSTAINED, all.length).min().orElseThrow();
        if (recent < FACTOR * usual || recent < usual + MIN_RISE_SECONDS) return Optional.empty();
        return Optional.of(new Slowdown("TLS handshake", recent, usual, recent / usual, "s"));
    }

    static Optional<Slowdown> rateSlowdown(Deque<Double> values) {
        if (values.size() < MIN_USUAL + SUSTAINED) return Optional.empty();
        double[] all = values.stream().mapToDouble(Double::doubleValue).toArray();
        double usual = median(Arrays.copyOfRange(all, 0, all.length - SUSTAINED));
        double recent = Arrays.stream(all, all.length - SUSTAINED, all.length).max().orElseThrow();
        if (recent <= 0 || recent * FACTOR > usual) return Optional.empty();
        return Optional.of(new Slowdown("transfer rate", recent, usual, usual / recent, "B/s"));
    }

    /**
     * Whether the baselines are slower than usual themselves: the median of their latest values
     * against their own earlier medians (as a slowness factor) reaches {@link #NETWORK_FACTOR}.
     * Baselines without history say nothing.
     */
    private boolean networkSlower(List<String> baselines, Function<History, Deque<Double>> measure, boolean higherIsFaster) {
        List<Double> factors = new ArrayList<>();
        for (String b : baselines) {
            History h = histories.get(b);
            if (h == null) continue;
            Deque<Double> values = measure.apply(h);
            if (values.size() < MIN_USUAL + 1) continue;
            double[] all = values.stream().mapToDouble(Double::doubleValue).toArray();
            double usual = median(Arrays.copyOfRange(all, 0, all.length - 1));
            double last = all[all.length - 1];
            if (usual <= 0 || last <= 0) continue;
            factors.add(higherIsFaster ? usual / last : last / usual);
        }
        if (factors.isEmpty()) return false;
        return median(factors.stream().mapToDouble(Double::doubleValue).toArray()) >= NETWORK_FACTOR;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
