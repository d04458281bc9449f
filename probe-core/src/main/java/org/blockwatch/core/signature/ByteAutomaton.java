package org.blockwatch.core.signature;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Aho-Corasick over bytes: finds every occurrence of every pattern in one pass over the text.
 *
 * <p>A full DFA over 50,000 states would need tens of megabytes, so it is kept only for the
 * shallow states, where scanning spends nearly all its time: states are numbered breadth-first
 * and the first {@code denseStates} have a complete transition row (over byte classes, the bytes
 * that occur in some pattern). Deeper states keep their sparse children and a failure link,
 * which leads back into the dense part within a few steps. Immutable and thread-safe.
 */
public final class ByteAutomaton {
    /** Receives matches; return false to stop the scan. */
    @FunctionalInterface
    public interface MatchSink {
        boolean match(int pattern, int end);
    }

    private static final int DEFAULT_DENSE_BUDGET = 1 << 21; // transition entries: 8 MiB of ints at most
    private final int[] byteClass = new int[256];
    private final int classes;
    private final int denseStates;
    private final int[] dense;          // dense[state * classes + class] -> next state
    private final byte[][] sparseBytes; // children of deep states, sorted by unsigned byte
    private final int[][] sparseNext;
    private final int[] fail;
    private final int[][] outputs;      // patterns ending at each state (dictionary suffixes included)
    private final int[] lengths;

    public ByteAutomaton(List<byte[]> patterns) {
        this(patterns, DEFAULT_DENSE_BUDGET);
    }

    ByteAutomaton(List<byte[]> patterns, int denseBudget) {
        lengths = new int[patterns.size()];
        // 1. Byte classes: one per byte that occurs in a pattern, class 0 for all others.
        boolean[] used = new boolean[256];
        for (byte[] p : patterns) for (byte b : p) used[b & 0xff] = true;
        int c = 1;
        for (int b = 0; b < 256; b++) byteClass[b] = used[b] ? c++ : 0;
        classes = c;

        // 2. The trie, in insertion order.
        List<int[]> children = new ArrayList<>(); // per node: child index per class, -1 none
        List<List<Integer>> ends = new ArrayList<>();
        children.add(newRow());
        ends.add(new ArrayList<>());
        for (int i = 0; i < patterns.size(); i++) {
            byte[] p = patterns.get(i);
            lengths[i] = p.length;
            if (p.length == 0) throw new IllegalArgumentException("empty pattern " + i);
            int node = 0;
            for (byte b : p) {
                int k = byteClass[b & 0xff];
                int next = children.get(node)[k];
                if (next < 0) {
                    next = children.size();
                    children.get(node)[k] = next;
                    children.add(newRow());
                    ends.add(new ArrayList<>());
                }
                node = next;
            }
            ends.get(node).add(i);
        }
        int n = children.size();

        // 3. Breadth-first renumbering, so shallow states come first.
        int[] order = new int[n];
        int[] rank = new int[n];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(0);
        int next = 0;
        while (!queue.isEmpty()) {
            int node = queue.poll();
            rank[node] = next;
            order[next++] = node;
            for (int child : children.get(node)) if (child >= 0) queue.add(child);
        }

        // 4. Failure links and outputs, in breadth-first order.
        fail = new int[n];
        outputs = new int[n][];
        int[][] go = new int[n][]; // trie children by new number, per class
        for (int s = 0; s < n; s++) {
            int[] row = children.get(order[s]);
            int[] mapped = new int[classes];
            for (int k = 0; k < classes; k++) mapped[k] = row[k] < 0 ? -1 : rank[row[k]];
            go[s] = mapped;
        }
        outputs[0] = toArray(ends.get(order[0]));
        for (int s = 0; s < n; s++) {
            for (int k = 1; k < classes; k++) {
                int child = go[s][k];
                if (child < 0) continue;
                if (s == 0) {
                    fail[child] = 0;
                } else {
                    int f = fail[s];
                    while (f != 0 && go[f][k] < 0) f = fail[f];
                    fail[child] = Math.max(go[f][k], 0);
                }
                int[] own = toArray(ends.get(order[child]));
                int[] inherited = outputs[fail[child]];
                outputs[child] = inherited.length == 0 ? own : concat(own, inherited);
            }
        }

        // 5. Dense rows for the first states that fit the budget; sparse children for the rest.
        denseStates = Math.max(1, Math.min(n, denseBudget / classes));
        dense = new int[denseStates * classes];
        for (int s = 0; s < denseStates; s++) {
            for (int k = 0; k < classes; k++) {
                int t = go[s][k];
                if (t < 0) t = s == 0 ? 0 : dense[fail[s] * classes + k]; // fail[s] < s: already filled
                dense[s * classes + k] = t;
            }
        }
        sparseBytes = new byte[n][];
        sparseNext = new int[n][];
        for (int s = denseStates; s < n; s++) {
            int count = 0;
            for (int k = 0; k < classes; k++) if (go[s][k] >= 0) count++;
            byte[] bytes = new byte[count];
            int[] targets = new int[count];
            int j = 0;
            for (int b = 0; b < 256; b++) {
                int k = byteClass[b];
                if (k != 0 && go[s][k] >= 0) {
                    bytes[j] = (byte) b;
                    targets[j++] = go[s][k];
                }
            }
            sparseBytes[s] = bytes;
            sparseNext[s] = targets;
        }
    }

    private int[] newRow() {
        int[] row = new int[classes];
        Arrays.fill(row, -1);
        return row;
    }

    private static int[] toArray(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    public int patternCount() {
        return lengths.length;
    }

    public int patternLength(int pattern) {
        return lengths[pattern];
    }

    /**
     * Scans {@code text[from, to)}, reporting each occurrence as (pattern, end offset exclusive).
     * Stops early when the sink returns false.
     */
    public void scan(byte[] text, int from, int to, MatchSink sink) {
        int s = 0;
        final int[] dense = this.dense;
        final int[] byteClass = this.byteClass;
        final int classes = this.classes;
        final int denseStates = this.denseStates;
        final int[][] outputs = this.outputs;
        for (int i = from; i < to; i++) {
            int b = text[i] & 0xff;
            int k = byteClass[b];
            while (s >= denseStates) {
                int t = sparseGoto(s, (byte) b);
                if (t >= 0) {
                    s = t;
                    break;
                }
                s = fail[s];
            }
            if (s < denseStates) s = dense[s * classes + k];
            int[] out = outputs[s];
            if (out.length != 0) {
                for (int p : out) {
                    if (!sink.match(p, i + 1)) return;
                }
            }
        }
    }

    private int sparseGoto(int s, byte b) {
        byte[] bytes = sparseBytes[s];
        for (int j = 0; j < bytes.length; j++) {
            if (bytes[j] == b) return sparseNext[s][j];
        }
        return -1;
    }
}
