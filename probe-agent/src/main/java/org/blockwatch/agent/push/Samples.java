package org.blockwatch.agent.push;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The samples of the registry's own snapshot, named as the Prometheus text format (0.0.4) names
 * them, so that a pushed probe has the series a scraped one has: a counter's {@code _total}, a
 * histogram's cumulative {@code _bucket{le}}, {@code _count} and {@code _sum}, a summary's
 * {@code {quantile}}, an info's {@code _info}, a state set's one series per state. The values and
 * label values are the registry's own: nothing is printed and read back.
 */
public final class Samples {
    private Samples() {}

    public static List<Series> of(MetricSnapshots snapshots) {
        List<Series> out = new ArrayList<>();
        for (MetricSnapshot metric : snapshots) {
            String name = metric.getMetadata().getPrometheusName();
            switch (metric) {
                case CounterSnapshot c -> c.getDataPoints().forEach(p -> out.add(series(name + "_total", p, p.getValue())));
                case GaugeSnapshot g -> g.getDataPoints().forEach(p -> out.add(series(name, p, p.getValue())));
                case UnknownSnapshot u -> u.getDataPoints().forEach(p -> out.add(series(name, p, p.getValue())));
                case InfoSnapshot i -> i.getDataPoints().forEach(p -> out.add(series(name + "_info", p, 1)));
                case StateSetSnapshot s -> s.getDataPoints().forEach(p -> {
                    for (int k = 0; k < p.size(); k++) out.add(series(name, p, p.isTrue(k) ? 1 : 0, name, p.getName(k)));
                });
                case HistogramSnapshot h -> h.getDataPoints().forEach(p -> histogram(out, name, h.isGaugeHistogram(), p));
                case SummarySnapshot s -> s.getDataPoints().forEach(p -> {
                    for (Quantile q : p.getQuantiles()) out.add(series(name, p, q.getValue(), "quantile", number(q.getQuantile())));
                    if (p.hasCount()) out.add(series(name + "_count", p, p.getCount()));
                    if (p.hasSum()) out.add(series(name + "_sum", p, p.getSum()));
                });
                default -> throw new IllegalArgumentException("a metric of a kind remote write does not know: " + name + " ("
                        + metric.getClass().getSimpleName() + ")");
            }
        }
        return out;
    }

    /** Classic buckets only, as the text format has them; the registry's counts are per bucket, the series' cumulative. */
    private static void histogram(List<Series> out, String name, boolean gauge, HistogramSnapshot.HistogramDataPointSnapshot p) {
        ClassicHistogramBuckets buckets = p.getClassicBuckets();
        long cumulative = 0;
        for (int i = 0; i < buckets.size(); i++) {
            cumulative += buckets.getCount(i);
            out.add(series(name + "_bucket", p, cumulative, "le", number(buckets.getUpperBound(i))));
        }
        if (p.hasCount() || !buckets.isEmpty()) out.add(series(name + (gauge ? "_gcount" : "_count"), p, p.hasCount() ? p.getCount() : cumulative));
        if (p.hasSum()) out.add(series(name + (gauge ? "_gsum" : "_sum"), p, p.getSum()));
    }

    private static Series series(String name, DataPointSnapshot point, double value, String... more) {
        TreeMap<String, String> labels = new TreeMap<>();
        var own = point.getLabels();
        for (int i = 0; i < own.size(); i++) labels.put(own.getPrometheusName(i), own.getValue(i));
        for (int i = 0; i < more.length; i += 2) labels.put(more[i], more[i + 1]);
        labels.put("__name__", name);
        return new Series(labels, value);
    }

    /** A bound as the text format writes it ({@code +Inf}, {@code 0.5}, {@code 1.0}): the label value a scrape stores. */
    private static String number(double d) {
        if (d == Double.POSITIVE_INFINITY) return "+Inf";
        if (d == Double.NEGATIVE_INFINITY) return "-Inf";
        return Double.toString(d);
    }
}
