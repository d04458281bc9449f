package org.blockwatch.core.signature;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds every occurrence of every pattern in one pass over the text.
 *
 * <p>Each pattern is anchored on one of its 4-byte grams, the one least likely in ordinary pages:
 * shared by the fewest patterns, made of the rarest kinds of byte. The scan slides a 4-byte
 * window over the text and looks its hash up in a 32 KiB bitset of all anchors: an int read, a
 * multiply and one load from L1 per byte, no load depending on the last, four positions at a time
 * with one branch for the four, so the CPU overlaps them. Only where the bitset fires are the patterns anchored on that gram compared byte for
 * byte. The bitset has no false negatives, so nothing is missed. A three-byte pattern is anchored
 * on all 256 grams it can begin; shorter ones are tried wherever their first byte occurs.
 *
 * <p>Why not an Aho-Corasick DFA: over the 1,300 body fingerprints it has 56,000 states, and its
 * scan is a chain of dependent loads (state, row, next state) that runs from memory at about
 * 350 MB/s. Anchoring on each pattern's first bytes fails the other way: real markup is full of
 * {@code <a h}, {@code <div} and {@code http}, with which hundreds of fingerprints begin.
 *
 * <p>Immutable and thread-safe.
 */
public final class ByteAutomaton {
    /** Receives matches; return false to stop the scan. */
    @FunctionalInterface
    public interface MatchSink {
        boolean match(int pattern, int end);
    }

    private static final int GRAM = 4;
    private static final java.lang.invoke.VarHandle BIG_ENDIAN_INT =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.BIG_ENDIAN);
    private static final int FILTER_BITS = 18; // 2^18 bits: 32 KiB
    private static final int MAX_BUCKET_BITS = 16;

    private final byte[][] patterns;
    private final long[] filter = new long[(1 << FILTER_BITS) / 64];
    // Anchors by bucket, in one array: bucket b's (pattern, offset of its anchor) pairs are
    // entries[bucketStart[b] .. bucketStart[b + 1]). Sized to the set: a small set gets few buckets.
    private final int bucketBits;
    private final int[] bucketStart;
    private final int[] entries;
    private final boolean[] tinyStart = new boolean[256];
    private final int[] tinyPatterns;       // shorter than three bytes: tried wherever their first byte is
    private final int[] threeBytePatterns;  // checked once more against the text's last three bytes

    public ByteAutomaton(List<byte[]> patterns) {
        this.patterns = patterns.stream().map(byte[]::clone).toArray(byte[][]::new);
        Map<Integer, Integer> sharing = gramCounts(this.patterns);
        bucketBits = Math.max(4, Math.min(MAX_BUCKET_BITS, 32 - Integer.numberOfLeadingZeros(Math.max(1, this.patterns.length) * 4)));
        Map<Integer, List<Integer>> lists = new HashMap<>();
        List<Integer> tiny = new ArrayList<>();
        List<Integer> endings = new ArrayList<>();
        for (int p = 0; p < this.patterns.length; p++) {
            byte[] pattern = this.patterns[p];
            if (pattern.length == 0) throw new IllegalArgumentException("empty pattern " + p);
            if (pattern.length == GRAM - 1) {
                // Followed by some byte wherever it occurs (but at the very end): anchored on all
                // 256 grams it can begin, so it costs the scan nothing.
                for (int next = 0; next < 256; next++) {
                    byte[] extended = Arrays.copyOf(pattern, GRAM);
                    extended[GRAM - 1] = (byte) next;
                    int h = hash(gram(extended, 0));
                    filter[h >>> 6] |= 1L << h;
                    List<Integer> bucket = lists.computeIfAbsent(h >>> (FILTER_BITS - bucketBits), k -> new ArrayList<>());
                    if (!containsPair(bucket, p)) bucket.addAll(List.of(p, 0));
                }
                endings.add(p);
                continue;
            }
            if (pattern.length < GRAM) {
                tinyStart[pattern[0] & 0xff] = true;
                tiny.add(p);
                continue;
            }
            int offset = rarestGram(pattern, sharing);
            int h = hash(gram(pattern, offset));
            filter[h >>> 6] |= 1L << h;
            lists.computeIfAbsent(h >>> (FILTER_BITS - bucketBits), k -> new ArrayList<>()).addAll(List.of(p, offset));
        }
        bucketStart = new int[(1 << bucketBits) + 1];
        for (int b = 0; b < 1 << bucketBits; b++) bucketStart[b + 1] = bucketStart[b] + lists.getOrDefault(b, List.of()).size();
        entries = new int[bucketStart[1 << bucketBits]];
        lists.forEach((b, list) -> {
            for (int j = 0; j < list.size(); j++) entries[bucketStart[b] + j] = list.get(j);
        });
        tinyPatterns = tiny.stream().mapToInt(Integer::intValue).toArray();
        threeBytePatterns = endings.stream().mapToInt(Integer::intValue).toArray();
    }

    private static boolean containsPair(List<Integer> bucket, int pattern) {
        if (bucket == null) return false;
        for (int j = 0; j < bucket.size(); j += 2) {
            if (bucket.get(j) == pattern) return true;
        }
        return false;
    }

    public int patternLength(int pattern) {
        return patterns[pattern].length;
    }

    /** Scans {@code text[from, to)}, reporting each occurrence as (pattern, end offset exclusive). Stops when the sink returns false. */
    public void scan(byte[] text, int from, int to, MatchSink sink) {
        if (tinyPatterns.length > 0) {
            scanWithTiny(text, from, to, sink);
            return;
        }
        final long[] filter = this.filter;
        // Four grams at a time, read as big-endian ints: four independent hashes and lookups, and
        // one branch for the four when (as nearly always) the bitset fires for none of them.
        int p = from;
        int last = to - GRAM; // where the last gram starts
        for (; p + 3 <= last; p += 4) {
            int h0 = hash((int) BIG_ENDIAN_INT.get(text, p));
            int h1 = hash((int) BIG_ENDIAN_INT.get(text, p + 1));
            int h2 = hash((int) BIG_ENDIAN_INT.get(text, p + 2));
            int h3 = hash((int) BIG_ENDIAN_INT.get(text, p + 3));
            long any = (filter[h0 >>> 6] >>> h0) | (filter[h1 >>> 6] >>> h1) | (filter[h2 >>> 6] >>> h2) | (filter[h3 >>> 6] >>> h3);
            if ((any & 1) == 0) continue;
            if ((filter[h0 >>> 6] & (1L << h0)) != 0 && !verify(h0, text, from, to, p, sink)) return;
            if ((filter[h1 >>> 6] & (1L << h1)) != 0 && !verify(h1, text, from, to, p + 1, sink)) return;
            if ((filter[h2 >>> 6] & (1L << h2)) != 0 && !verify(h2, text, from, to, p + 2, sink)) return;
            if ((filter[h3 >>> 6] & (1L << h3)) != 0 && !verify(h3, text, from, to, p + 3, sink)) return;
        }
        for (; p <= last; p++) {
            int h = hash((int) BIG_ENDIAN_INT.get(text, p));
            if ((filter[h >>> 6] & (1L << h)) != 0 && !verify(h, text, from, to, p, sink)) return;
        }
        endOfText(text, from, to, sink);
    }

    /** A three-byte pattern that ends the text has no byte after it to be anchored with. */
    private void endOfText(byte[] text, int from, int to, MatchSink sink) {
        int start = to - (GRAM - 1);
        if (start < from) return;
        for (int p : threeBytePatterns) {
            if (Arrays.equals(text, start, to, patterns[p], 0, GRAM - 1) && !sink.match(p, to)) return;
        }
    }

    /** The same scan, also trying the patterns shorter than a gram wherever their first byte is. */
    private void scanWithTiny(byte[] text, int from, int to, MatchSink sink) {
        int window = 0;
        for (int i = from; i < to; i++) {
            window = (window << 8) | (text[i] & 0xff);
            if (i - from + 1 >= GRAM) {
                int h = hash(window);
                if ((filter[h >>> 6] & (1L << h)) != 0 && !verify(h, text, from, to, i + 1 - GRAM, sink)) return;
            }
            if (tinyStart[text[i] & 0xff] && !verifyTiny(text, i, to, sink)) return;
        }
        endOfText(text, from, to, sink);
    }

    /** The patterns anchored on grams with hash {@code h}, compared in full around {@code gramStart}. */
    private boolean verify(int h, byte[] text, int from, int to, int gramStart, MatchSink sink) {
        int b = h >>> (FILTER_BITS - bucketBits);
        for (int j = bucketStart[b], last = bucketStart[b + 1]; j < last; j += 2) {
            byte[] pattern = patterns[entries[j]];
            int start = gramStart - entries[j + 1];
            int end = start + pattern.length;
            if (start >= from && end <= to && Arrays.equals(text, start, end, pattern, 0, pattern.length)
                    && !sink.match(entries[j], end)) return false;
        }
        return true;
    }

    private boolean verifyTiny(byte[] text, int start, int to, MatchSink sink) {
        for (int p : tinyPatterns) {
            byte[] pattern = patterns[p];
            int end = start + pattern.length;
            if (end <= to && Arrays.equals(text, start, end, pattern, 0, pattern.length) && !sink.match(p, end)) return false;
        }
        return true;
    }

    private static int hash(int gram) {
        return (gram * 0x9E3779B1) >>> (32 - FILTER_BITS);
    }

    private static int gram(byte[] b, int offset) {
        return ((b[offset] & 0xff) << 24) | ((b[offset + 1] & 0xff) << 16) | ((b[offset + 2] & 0xff) << 8) | (b[offset + 3] & 0xff);
    }

    /** How many patterns contain each gram. */
    private static Map<Integer, Integer> gramCounts(byte[][] patterns) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (byte[] p : patterns) {
            Set<Integer> seen = new HashSet<>();
            for (int o = 0; o + GRAM <= p.length; o++) seen.add(gram(p, o));
            for (Integer g : seen) counts.merge(g, 1, Integer::sum);
        }
        return counts;
    }

    /**
     * The offset of the gram least likely in ordinary pages: first, shared by the fewest patterns
     * (a gram many fingerprints share, like {@code <tit}, is common in pages too); then made of
     * rarer bytes (markup, spaces and lower-case letters are everywhere).
     */
    private static int rarestGram(byte[] p, Map<Integer, Integer> sharing) {
        int best = 0;
        long bestScore = Long.MAX_VALUE;
        for (int o = 0; o + GRAM <= p.length; o++) {
            long score = sharing.getOrDefault(gram(p, o), 1) * 1000L;
            for (int i = o; i < o + GRAM; i++) score += commonness(p[i] & 0xff);
            if (score < bestScore) {
                bestScore = score;
                best = o;
            }
        }
        return best;
    }

    private static int commonness(int b) {
        if (b == ' ' || b == '<' || b == '>' || b == '/' || b == '"' || b == '=' || b == '\n' || b == '\t' || b == '\r') return 4;
        if (b >= 'a' && b <= 'z') return 3;
        if (b >= 0x80) return 2; // UTF-8 letters: Cyrillic pages are full of them
        return 1;                // capitals, digits, rarer punctuation
    }
}
