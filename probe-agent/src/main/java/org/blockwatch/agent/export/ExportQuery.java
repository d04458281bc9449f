package org.blockwatch.agent.export;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What to export: measurements from {@code since} (inclusive) to {@code until} (exclusive), of
 * these targets, networks (AS numbers), countries and categories (empty: all), rows of these
 * states (empty: all, {@code offline} for the network's outages), and the longest pause that
 * still counts as continuous measuring.
 */
public record ExportQuery(Instant since, Instant until, List<String> targets, List<String> asns, List<String> ccs, List<String> categories,
        List<String> states, Duration maxGap) {
    private static final Pattern URL = Pattern.compile("(?i)(https?://)([^/?#]*)(.*)");

    public ExportQuery {
        targets = List.copyOf(targets);
        asns = asns.stream().map(ExportQuery::asn).toList();
        ccs = ccs.stream().map(cc -> cc.strip().toUpperCase(Locale.ROOT)).toList();
        categories = List.copyOf(categories);
        states = List.copyOf(states);
    }

    /** All networks and countries. */
    public ExportQuery(Instant since, Instant until, List<String> targets, List<String> categories, List<String> states, Duration maxGap) {
        this(since, until, targets, List.of(), List.of(), categories, states, maxGap);
    }

    public boolean wantsState(String state) {
        return states.isEmpty() || states.contains(state);
    }

    /** Whether the query keeps a probe's network (its outages are rows only of the networks asked for). */
    public boolean wantsNetwork(String probeAsn, String probeCc) {
        return (asns.isEmpty() || asns.contains(probeAsn)) && (ccs.isEmpty() || ccs.contains(probeCc));
    }

    /** An AS number as stores and OONI write it: {@code AS9198}, from {@code 9198} or {@code as9198}. */
    static String asn(String text) {
        String s = text.strip().toUpperCase(Locale.ROOT);
        return s.startsWith("AS") ? s : "AS" + s;
    }

    /**
     * The texts a stored target may have when one of {@link #targets()} is asked for: a URL as given and with its
     * scheme and host in lower case (they are case-insensitive), each with and without a trailing slash (a target
     * list may write either); anything else (an app's name) as given.
     */
    public List<String> targetForms() {
        Set<String> forms = new LinkedHashSet<>();
        for (String t : targets) {
            String s = t.strip();
            Matcher m = URL.matcher(s);
            if (!m.matches()) {
                forms.add(s);
                continue;
            }
            for (String url : List.of(s, m.group(1).toLowerCase(Locale.ROOT) + m.group(2).toLowerCase(Locale.ROOT) + m.group(3))) {
                forms.add(url);
                forms.add(url.endsWith("/") ? url.substring(0, url.length() - 1) : url + "/");
            }
        }
        return List.copyOf(forms);
    }
}
