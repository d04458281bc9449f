package org.blockwatch.agent.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * A self-contained HTML page (inline CSS and SVG, no script, nothing fetched) with one timeline
 * chart per target and network, coloured by state; each bar's title (hover text) gives the state,
 * method, measurement count and times. Written as rows arrive, one chart at a time.
 */
public final class HtmlTimeline implements TimelineWriters.RowWriter {
    static final Map<String, String> COLOURS = Map.of("accessible", "#2e7d32", "blocked", "#c62828", "down", "#757575",
            "inconclusive", "#f9a825", TimelineRow.OFFLINE, "#212121", TimelineRow.RESTRICTED, "#6a1b9a");
    private static final int WIDTH = 960;
    private static final int HEIGHT = 24;

    private final Writer out;
    private final Instant from;
    private final double spanSeconds;
    private String group;

    /** @param from, to the time the charts span (the export's first and last measurement) */
    public HtmlTimeline(Writer out, Instant from, Instant to, String title) throws IOException {
        this.out = out;
        this.from = from;
        this.spanSeconds = Math.max(1, Duration.between(from, to).toSeconds());
        out.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title>\n<style>\n"
                + "body{font-family:sans-serif;margin:24px;color:#212121}h1{font-size:20px}"
                + ".t{margin:10px 0 2px;font-size:13px}.t b{font-family:monospace}.n{color:#616161}"
                + "svg.chart{display:block;background:#eeeeee}.legend span{display:inline-block;margin-right:14px;font-size:13px}"
                + ".legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}\n</style></head><body>\n");
        out.write("<h1>" + escape(title) + "</h1>\n<p>From " + TimelineWriters.time(from) + " to " + TimelineWriters.time(to)
                + " (UTC). Each bar runs from the first to the last measurement that showed its state; blank is a gap: no measurement."
                + " Hover over a bar for its method and measurements.</p>\n<p class=\"legend\">");
        for (String state : new String[] {"accessible", "blocked", "down", "inconclusive", TimelineRow.OFFLINE, TimelineRow.RESTRICTED}) {
            out.write("<span><i style=\"background:" + COLOURS.get(state) + "\"></i>" + (state.equals(TimelineRow.OFFLINE)
                    ? "probe's network offline" : state.equals(TimelineRow.RESTRICTED) ? "probe's network restricted" : state) + "</span>");
        }
        out.write("</p>\n");
    }

    @Override
    public void write(TimelineRow r) {
        try {
            String key = r.target() + "\t" + r.probeAsn() + "\t" + r.probeCc();
            if (!key.equals(group)) {
                if (group != null) out.write("</svg>\n");
                group = key;
                String label = r.target().isEmpty() ? "the probe's own network" : "<b>" + escape(r.target()) + "</b> " + escape(r.category());
                out.write("<div class=\"t\">" + label + " <span class=\"n\">" + escape(r.probeAsn()) + " " + escape(r.probeCc()) + "</span></div>\n");
                out.write("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" + WIDTH + "\" height=\"" + HEIGHT + "\" viewBox=\"0 0 "
                        + WIDTH + " " + HEIGHT + "\" role=\"img\" aria-label=\"" + escape(r.target()) + "\">\n");
            }
            Instant end = r.end() == null ? r.start() : r.end();
            double x = WIDTH * Duration.between(from, r.start()).toSeconds() / spanSeconds;
            double w = Math.max(3, WIDTH * Duration.between(r.start(), end).toSeconds() / spanSeconds);
            String tip = r.state() + (r.method() == null ? "" : " (" + r.method() + ")") + ": " + r.measurements() + " measurement"
                    + (r.measurements() == 1 ? "" : "s") + ", " + TimelineWriters.time(r.start()) + " to " + TimelineWriters.time(r.end())
                    + (r.firstMeasurementId() == null ? "" : ", ids " + r.firstMeasurementId() + "-" + r.lastMeasurementId());
            out.write(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"2\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s</title></rect>\n",
                    Math.min(x, WIDTH - 3), w, HEIGHT - 4, COLOURS.getOrDefault(r.state(), "#9e9e9e"), escape(tip)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        if (group != null) out.write("</svg>\n");
        else out.write("<p>No measurement matches.</p>\n");
        out.write("</body></html>\n");
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
