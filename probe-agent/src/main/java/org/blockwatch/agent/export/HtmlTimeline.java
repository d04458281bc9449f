package org.blockwatch.agent.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A self-contained HTML page (inline CSS and SVG, no script, nothing fetched): a time axis (UTC),
 * then one lane per target and network with a bar per row, coloured by state and labelled with
 * its state and method where it is wide enough, and under each lane the rows as a table (state,
 * method, flags, times, measurement_uids, when the change happened): nothing is only in a
 * tooltip. Printed, it is A4 landscape, the axis repeats on every page and no lane is cut.
 * Written as rows arrive, one lane at a time.
 */
public final class HtmlTimeline implements TimelineWriters.RowWriter {
    static final Map<String, String> COLOURS = Map.of("accessible", "#2e7d32", "blocked", "#c62828", "down", "#757575",
            "inconclusive", "#f9a825", TimelineRow.OFFLINE, "#212121", TimelineRow.RESTRICTED, "#6a1b9a");
    private static final List<String> STATES = List.of("accessible", "blocked", "down", "inconclusive", TimelineRow.OFFLINE, TimelineRow.RESTRICTED);
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 28;
    private static final int AXIS_HEIGHT = 34;
    /** Tick steps, the first that gives at most {@link #MAX_TICKS} ticks over the span is used. */
    private static final List<Duration> STEPS = List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(30),
            Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(3), Duration.ofHours(6), Duration.ofHours(12), Duration.ofDays(1),
            Duration.ofDays(2), Duration.ofDays(7), Duration.ofDays(14), Duration.ofDays(28), Duration.ofDays(91), Duration.ofDays(365));
    private static final int MAX_TICKS = 12;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY_HOUR = DateTimeFormatter.ofPattern("MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    private static final String CSS = """
            body{font-family:sans-serif;margin:24px;color:#212121}h1{font-size:20px}
            .legend span{display:inline-block;margin-right:14px;font-size:13px}
            .legend i,.rows i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}
            table.lanes{width:100%;border-collapse:collapse;table-layout:fixed}table.lanes>thead th{text-align:left;font-weight:normal;background:#fff}
            tr.lane>td{padding:8px 0 6px;border-top:1px solid #e0e0e0}
            .t{margin:0 0 2px;font-size:13px}.t b{font-family:monospace}.n{color:#616161}
            svg.axis,svg.chart{display:block;width:100%;height:auto}svg.chart{background:#eeeeee}
            svg .tick line{stroke:#9e9e9e}svg .tick text{font-size:11px;fill:#424242}svg .grid{stroke:#ffffff;stroke-width:1}
            svg .bar text{font-size:11px;fill:#ffffff;font-family:sans-serif}
            table.rows{border-collapse:collapse;font-size:11px;margin-top:4px;width:100%}
            table.rows th,table.rows td{text-align:left;padding:1px 8px 1px 0;vertical-align:top;white-space:nowrap}
            table.rows td.uid{font-family:monospace;font-size:10px;white-space:normal;word-break:break-all}
            table.rows th,table.rows td.wrap{white-space:normal}.nw{white-space:nowrap}
            @page{size:A4 landscape;margin:10mm}
            @media print{body{margin:0;font-size:11px}h1{font-size:16px}
            tr.lane{break-inside:avoid;page-break-inside:avoid}thead{display:table-header-group}
            *{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
            """;

    private final Writer out;
    private final Instant from;
    private final double spanSeconds;
    private final List<Instant> ticks;
    private String group;
    private final StringBuilder table = new StringBuilder();

    /** @param from, to the time the charts span (the export's first and last measurement) */
    public HtmlTimeline(Writer out, Instant from, Instant to, String title) throws IOException {
        this.out = out;
        this.from = from;
        this.spanSeconds = Math.max(1, Duration.between(from, to).toSeconds());
        this.ticks = ticks(from, to);
        out.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title>\n<style>\n" + CSS
                + "</style></head><body>\n");
        out.write("<h1>" + escape(title) + "</h1>\n<p>From " + TimelineWriters.time(from) + " to " + TimelineWriters.time(to)
                + " (UTC). Each bar runs from the first to the last measurement that showed its state; blank is a gap: no measurement."
                + " The table under each lane gives every bar's method (how a block was seen), flags, measurements (their measurement_uid,"
                + " as in the ooni-jsonl export) and when the state changed: after the last measurement of the state before and at the"
                + " first of this one.</p>\n<p class=\"legend\">");
        for (String state : STATES) {
            out.write("<span><i style=\"background:" + COLOURS.get(state) + "\"></i>" + (state.equals(TimelineRow.OFFLINE)
                    ? "probe's network offline" : state.equals(TimelineRow.RESTRICTED) ? "probe's network restricted" : state) + "</span>");
        }
        out.write("</p>\n<table class=\"lanes\"><thead><tr><th>" + axis() + "</th></tr></thead><tbody>\n");
    }

    /** Tick times: multiples of the first step that gives at most {@link #MAX_TICKS} over the span (in UTC). */
    static List<Instant> ticks(Instant from, Instant to) {
        long span = Math.max(1, Duration.between(from, to).toSeconds());
        Duration step = STEPS.stream().filter(s -> span / s.toSeconds() < MAX_TICKS).findFirst().orElse(STEPS.getLast());
        long s = step.toSeconds();
        List<Instant> out = new ArrayList<>();
        for (long t = Math.floorDiv(from.getEpochSecond() + s - 1, s) * s; t <= to.getEpochSecond(); t += s) out.add(Instant.ofEpochSecond(t));
        return out;
    }

    private double x(Instant t) {
        return WIDTH * Duration.between(from, t).toSeconds() / spanSeconds;
    }

    private String axis() {
        StringBuilder b = new StringBuilder("<svg class=\"axis\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" + WIDTH + "\" height=\"" + AXIS_HEIGHT
                + "\" viewBox=\"0 0 " + WIDTH + " " + AXIS_HEIGHT + "\" role=\"img\" aria-label=\"time axis, UTC\">");
        boolean days = ticks.size() > 1 && Duration.between(ticks.get(0), ticks.get(1)).compareTo(Duration.ofDays(1)) >= 0;
        String lastDay = null;
        for (Instant t : ticks) {
            double x = x(t);
            String day = DAY.format(t);
            // The date where it changes (and on the first tick), the hour on the others.
            String label = days ? day : day.equals(lastDay) ? HOUR.format(t) : DAY_HOUR.format(t);
            lastDay = day;
            String anchor = x < 40 ? "start" : x > WIDTH - 40 ? "end" : "middle";
            b.append(String.format(Locale.ROOT, "<g class=\"tick\"><line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>"
                    + "<text x=\"%.1f\" y=\"14\" text-anchor=\"%s\">%s</text></g>", x, AXIS_HEIGHT - 14, x, AXIS_HEIGHT, x, anchor, label));
        }
        return b.append("</svg>").toString();
    }

    @Override
    public void write(TimelineRow r) {
        try {
            String key = r.target() + "\t" + r.probeAsn() + "\t" + r.probeCc();
            if (!key.equals(group)) {
                endLane();
                group = key;
                String label = r.target().isEmpty() ? "the probe's own network" : "<b>" + escape(r.target()) + "</b> " + escape(r.category());
                String network = String.join(TimelineWriters.SEVERAL, r.networkNames());
                out.write("<tr class=\"lane\"><td><div class=\"t\">" + label + " <span class=\"n\">" + escape(r.probeAsn()) + " " + escape(r.probeCc())
                        + (network.isEmpty() ? "" : " " + escape(network)) + "</span></div>\n");
                out.write("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" + WIDTH + "\" height=\"" + HEIGHT + "\" viewBox=\"0 0 "
                        + WIDTH + " " + HEIGHT + "\" role=\"img\" aria-label=\"" + escape(r.target()) + "\">\n");
                for (Instant t : ticks) out.write(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%.1f\" y1=\"0\" x2=\"%.1f\" y2=\"%d\"/>", x(t), x(t), HEIGHT));
                out.write("\n");
                table.setLength(0);
                table.append("<table class=\"rows\"><thead><tr><th>state</th><th>method</th><th>flags</th><th>from</th><th>to</th><th>n</th>"
                        + "<th>measurement_uid: first, last</th><th>changed between</th><th>resolver</th></tr></thead><tbody>\n");
            }
            Instant end = r.end() == null ? r.start() : r.end();
            double x = Math.min(x(r.start()), WIDTH - 3);
            double w = Math.max(3, x(end) - x(r.start()));
            String what = r.state() + (r.method() == null ? "" : " (" + r.method() + ")");
            String tip = what + ": " + r.measurements() + " measurement" + (r.measurements() == 1 ? "" : "s") + ", " + shown(r.start()) + " to "
                    + shown(r.end()) + (r.flags().isEmpty() ? "" : ", flags " + String.join(" ", r.flags()));
            String fill = COLOURS.getOrDefault(r.state(), "#9e9e9e");
            out.write(String.format(Locale.ROOT, "<g class=\"bar\"><rect x=\"%.1f\" y=\"2\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s</title></rect>",
                    x, w, HEIGHT - 4, fill, escape(tip)));
            String text = r.state() + (r.method() == null ? "" : " · " + r.method());
            // A label only where it fits (11px sans-serif: about 6.5px a character).
            if (w >= text.length() * 6.5 + 8) out.write(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>", x + 4, HEIGHT / 2 + 4, escape(text)));
            out.write("</g>\n");
            String resolver = String.join(TimelineWriters.SEVERAL, r.resolvers().stream()
                    .map(v -> String.join(" ", java.util.stream.Stream.of(v.asn(), v.networkName(), v.ip()).filter(s -> !s.isEmpty()).toList())).toList());
            table.append("<tr><td><i style=\"background:").append(fill).append("\"></i>").append(escape(r.state())).append("</td><td>")
                    .append(escape(r.method())).append("</td><td>").append(escape(String.join(" ", r.flags()))).append("</td><td>")
                    .append(shown(r.start())).append("</td><td>").append(shown(r.end())).append("</td><td>").append(r.measurements())
                    .append("</td><td class=\"uid\">").append(escape(r.firstMeasurementUid())).append("<br>")
                    .append(escape(r.lastMeasurementUid())).append("</td><td class=\"wrap\">")
                    .append(r.previous() == null ? "" : "<span class=\"nw\">after " + shown(r.previous().at()) + " (" + escape(r.previous().state())
                            + (r.previous().method() == null ? "" : ", " + escape(r.previous().method())) + "),</span><br><span class=\"nw\">at " + shown(r.start()) + "</span>")
                    .append("</td><td class=\"wrap\">").append(escape(resolver)).append("</td></tr>\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String shown(Instant t) {
        return t == null ? "" : TimelineWriters.time(t);
    }

    private void endLane() throws IOException {
        if (group == null) return;
        out.write("</svg>\n");
        out.write(table.append("</tbody></table></td></tr>\n").toString());
    }

    @Override
    public void close() throws IOException {
        if (group != null) endLane();
        else out.write("<tr class=\"lane\"><td><p>No measurement matches.</p></td></tr>\n");
        out.write("</tbody></table>\n</body></html>\n");
        out.flush();
    }

    static String escape(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
