package org.blockwatch.core.signature;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ByteAutomatonTest {
    private static List<byte[]> bytes(String... patterns) {
        List<byte[]> out = new ArrayList<>();
        for (String p : patterns) out.add(p.getBytes(StandardCharsets.UTF_8));
        return out;
    }

    private static Set<String> scan(ByteAutomaton a, String text) {
        Set<String> hits = new TreeSet<>();
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        a.scan(t, 0, t.length, (p, end) -> hits.add(p + "@" + end));
        return hits;
    }

    @Test
    void findsOverlappingAndNestedPatterns() {
        ByteAutomaton a = new ByteAutomaton(bytes("he", "she", "his", "hers"));
        assertThat(scan(a, "ushers")).containsExactlyInAnyOrder("1@4", "0@4", "3@6");
    }

    @Test
    void findsPatternsAtBothEndsOfTheTextAndShortOnes() {
        ByteAutomaton a = new ByteAutomaton(bytes("ab", "abcdef", "xyz", "f"));
        assertThat(scan(a, "abcdef")).containsExactlyInAnyOrder("0@2", "1@6", "3@6");
        assertThat(scan(a, "..xyz")).containsExactly("2@5");
        assertThat(scan(a, "xyz.xyz")).containsExactly("2@3", "2@7");
        assertThat(scan(a, "xyz")).containsExactly("2@3");
        assertThat(scan(a, "ab")).containsExactly("0@2");
        assertThat(scan(a, "")).isEmpty();
    }

    @Test
    void scansOnlyTheGivenRange() {
        ByteAutomaton a = new ByteAutomaton(bytes("needle"));
        byte[] text = "needle needle".getBytes(StandardCharsets.UTF_8);
        Set<String> hits = new TreeSet<>();
        a.scan(text, 1, text.length, (p, end) -> hits.add(p + "@" + end));
        assertThat(hits).containsExactly("0@13");
    }

    @Test
    void matchesMultiByteText() {
        ByteAutomaton a = new ByteAutomaton(bytes("заблокирована", "Страница"));
        assertThat(scan(a, "Страница заблокирована")).hasSize(2);
    }

    /** The filtered trie must find exactly what a naive search finds, short patterns and text ends included. */
    @Test
    void agreesWithNaiveSearch() {
        Random random = new Random(42);
        List<String> patterns = new ArrayList<>();
        for (int i = 0; i < 200; i++) patterns.add(randomText(random, 2 + random.nextInt(12)));
        String text = randomText(random, 20_000);
        Set<String> expected = new TreeSet<>();
        for (int p = 0; p < patterns.size(); p++) {
            for (int i = text.indexOf(patterns.get(p)); i >= 0; i = text.indexOf(patterns.get(p), i + 1)) {
                expected.add(p + "@" + (i + patterns.get(p).length()));
            }
        }
        assertThat(expected).isNotEmpty();
        ByteAutomaton a = new ByteAutomaton(bytes(patterns.toArray(String[]::new)));
        assertThat(scan(a, text)).isEqualTo(expected);
    }

    /** The same, with no pattern shorter than a gram (the scan four positions at a time), on texts of every length up to 40. */
    @Test
    void agreesWithNaiveSearchOnTheFourAtATimeScanAtEveryTextLength() {
        Random random = new Random(7);
        List<String> patterns = new ArrayList<>();
        for (int i = 0; i < 60; i++) patterns.add(randomText(random, 3 + random.nextInt(4)));
        ByteAutomaton a = new ByteAutomaton(bytes(patterns.toArray(String[]::new)));
        for (int length = 0; length <= 40; length++) {
            for (int round = 0; round < 20; round++) {
                String text = randomText(random, length);
                Set<String> expected = new TreeSet<>();
                for (int p = 0; p < patterns.size(); p++) {
                    for (int i = text.indexOf(patterns.get(p)); i >= 0; i = text.indexOf(patterns.get(p), i + 1)) {
                        expected.add(p + "@" + (i + patterns.get(p).length()));
                    }
                }
                assertThat(scan(a, text)).as(text).isEqualTo(expected);
            }
        }
    }

    private static String randomText(Random random, int length) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) sb.append((char) ('a' + random.nextInt(4)));
        return sb.toString();
    }
}
