package org.blockwatch.agent.push;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One sample of one series, as a scrape would give it: the labels with {@code __name__}, sorted by
 * name (remote write requires it), and the value.
 */
public record Series(TreeMap<String, String> labels, double value) {

    /** The series' identity: its labels, in order. */
    public String key() {
        return labels.toString();
    }

    /** This series with {@code extra} labels added where it has none of that name. */
    public Series with(Map<String, String> extra) {
        TreeMap<String, String> all = new TreeMap<>(labels);
        extra.forEach(all::putIfAbsent);
        return new Series(all, value);
    }

    /**
     * The samples of a Prometheus text exposition (format 0.0.4, as {@code /metrics} serves it),
     * comments skipped. Throws {@link IllegalArgumentException} on a line it cannot read.
     */
    public static List<Series> parse(String exposition) {
        List<Series> out = new ArrayList<>();
        for (String line : exposition.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) continue;
            out.add(parseLine(line));
        }
        return out;
    }

    private static Series parseLine(String line) {
        TreeMap<String, String> labels = new TreeMap<>();
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') i++;
        labels.put("__name__", line.substring(0, i));
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String name = line.substring(i, eq).trim();
                if (line.charAt(eq + 1) != '"') throw new IllegalArgumentException("a label value without quotes: " + line);
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (char c; (c = line.charAt(j)) != '"'; j++) {
                    if (c == '\\') {
                        char next = line.charAt(++j);
                        value.append(next == 'n' ? '\n' : next);
                    } else {
                        value.append(c);
                    }
                }
                labels.put(name, value.toString());
                i = j + 1;
                if (line.charAt(i) == ',') i++;
            }
            i++;
        }
        String[] rest = line.substring(i).trim().split(" ");
        return new Series(labels, value(rest[0]));
    }

    private static double value(String v) {
        return switch (v) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(v);
        };
    }
}
