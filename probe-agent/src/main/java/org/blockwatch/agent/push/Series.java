package org.blockwatch.agent.push;

import java.util.Map;
import java.util.TreeMap;

/**
 * One sample of one series, as a scrape would give it (see {@link Samples}): the labels with
 * {@code __name__}, sorted by name (remote write requires it), and the value.
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
}
