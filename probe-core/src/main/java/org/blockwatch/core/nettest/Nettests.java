package org.blockwatch.core.nettest;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kinds of measurement a probe runs, by OONI {@code test_name}: the one registry that the
 * agent, {@code measure} and the demo ask for a kind. Immutable.
 */
public final class Nettests {
    private final Map<String, Nettest> kinds;

    private Nettests(Map<String, Nettest> kinds) {
        this.kinds = kinds;
    }

    public static Nettests of(List<Nettest> kinds) {
        Map<String, Nettest> byName = new LinkedHashMap<>();
        for (Nettest k : kinds) {
            if (byName.putIfAbsent(k.testName(), k) != null) throw new IllegalArgumentException("two kinds named " + k.testName());
        }
        return new Nettests(Map.copyOf(byName));
    }

    public Optional<Nettest> get(String testName) {
        return Optional.ofNullable(kinds.get(testName));
    }

    /** @throws IllegalArgumentException naming the kinds there are, for a name none has */
    public Nettest require(String testName) {
        Nettest k = kinds.get(testName);
        if (k == null) throw new IllegalArgumentException("no kind of measurement is called '" + testName + "' (there are: "
                + String.join(", ", new java.util.TreeSet<>(kinds.keySet())) + ")");
        return k;
    }

    public List<Nettest> all() {
        return kinds.values().stream().sorted(java.util.Comparator.comparing(Nettest::testName)).toList();
    }

    /**
     * The kind that takes {@code input} as it is written: a URL is a web page's, {@code stun://} a
     * STUN server's, an app's name ({@code telegram}) that app's (measured with the empty input).
     *
     * @throws IllegalArgumentException saying what each kind found wrong with it
     */
    public Nettest kindFor(String input) {
        // An app is named, not given input: "telegram" is the Telegram kind.
        Nettest named = kinds.get(input);
        if (named != null && named.input() == Nettest.InputShape.NONE) return named;
        List<String> why = new java.util.ArrayList<>();
        // A kind taking URLs goes first: a DoH resolver's URL (dnscheck) is written like a web
        // page's, and a URL alone means the page; a resolver is measured as one by its kind's name.
        List<Nettest> inTurn = all().stream().sorted(java.util.Comparator.comparing(k -> k.input() != Nettest.InputShape.URL)).toList();
        for (Nettest k : inTurn) {
            if (k.input() == Nettest.InputShape.NONE) continue;
            try {
                k.check(input);
                return k;
            } catch (IllegalArgumentException e) {
                why.add(k.testName() + ": " + e.getMessage());
            }
        }
        throw new IllegalArgumentException("'" + input + "' is no kind's input (" + String.join("; ", why) + ")");
    }

    /**
     * Measures {@code input} with {@code kind}; a bug inside the kind gives a {@link Crashed}
     * result rather than an exception, so that every input measured leaves a record.
     */
    public static Measurement measure(Nettest kind, String input) {
        Instant start = Instant.now();
        Result r;
        try {
            r = kind.measure(input);
        } catch (RuntimeException e) {
            r = Crashed.of(input, start, e);
        }
        return Measurement.of(kind, r);
    }
}
