package org.blockwatch.bench;

import com.gliwka.hyperscan.jni.hs_database_t;
import com.gliwka.hyperscan.jni.hs_scratch_t;
import com.gliwka.hyperscan.jni.hyperscan;
import com.gliwka.hyperscan.jni.match_event_handler;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.ahocorasick.trie.Trie;
import org.blockwatch.core.signature.ByteAutomaton;
import org.blockwatch.core.signature.Fingerprint;
import org.blockwatch.core.signature.FingerprintSet;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The fingerprint matcher against its peers on the same work, single-threaded, in one run: the
 * literals of the bundled HTTP fingerprints (every body pattern, and the longest literal of each
 * expression: what blockwatch's one pass scans for) found in a body of realistic HTML or of
 * adversarial near misses.
 * <ul>
 *   <li>{@code blockwatchScan}: blockwatch's scan alone ({@link ByteAutomaton} over the same
 *       literals, each reported once): the same job as the peers';</li>
 *   <li>{@code blockwatch}: {@link FingerprintSet#matchBody}, the whole matcher (the scan, then each
 *       hit checked: prefix, full body, and the expression run on the text where its literal was
 *       found), which the peers' figures do not include;</li>
 *   <li>{@code hyperscan}: Intel's engine through its C API ({@code hs_scan} on a literal database
 *       built by {@code hs_compile_lit_multi}, each pattern reported once: {@code HS_FLAG_SINGLEMATCH}),
 *       the body copied to native memory first, as a Java caller must;</li>
 *   <li>{@code ahoCorasick}: the {@code org.ahocorasick} library (on text: the body decoded first).</li>
 * </ul>
 * MB/s = ops/s x size. Hyperscan's native library is for x86-64 (Linux, macOS, Windows).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FingerprintPeersBenchmark {
    @Param({"4096", "65536", "1048576"})
    int size;

    @Param({"html", "adversarial"})
    String text;

    byte[] body;
    FingerprintSet set;
    Trie trie;
    ByteAutomaton automaton;
    final BitSet scanHits = new BitSet();
    hs_database_t database;
    hs_scratch_t scratch;
    BytePointer nativeBody;
    final BitSet hyperscanHits = new BitSet();
    match_event_handler onMatch;

    @Setup(Level.Trial)
    public void setUp() {
        set = FingerprintSet.bundled();
        List<byte[]> literals = set.bodyLiterals();
        body = text.equals("html") ? Bodies.html(size) : Bodies.adversarial(size, literals);

        automaton = new ByteAutomaton(literals);
        trie = Trie.builder().addKeywords(literals.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList()).build();

        int n = literals.size();
        PointerPointer<BytePointer> patterns = new PointerPointer<>(n);
        IntPointer flags = new IntPointer(n);
        IntPointer ids = new IntPointer(n);
        SizeTPointer lengths = new SizeTPointer(n);
        // The patterns' native copies are kept reachable until Hyperscan has compiled them: the
        // PointerPointer holds only their addresses, and a collection in between would free them
        // (found by CI's smoke run, under load: the engines then "disagreed").
        List<BytePointer> held = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            BytePointer pattern = new BytePointer(literals.get(i));
            held.add(pattern);
            patterns.put(i, pattern);
            flags.put(i, hyperscan.HS_FLAG_SINGLEMATCH);
            ids.put(i, i);
            lengths.put(i, literals.get(i).length);
        }
        PointerPointer<hs_database_t> db = new PointerPointer<>(1);
        PointerPointer<Pointer> error = new PointerPointer<>(1);
        int rc = hyperscan.hs_compile_lit_multi(patterns, flags, ids, lengths, n, hyperscan.HS_MODE_BLOCK, null, db, error);
        if (rc != hyperscan.HS_SUCCESS) throw new IllegalStateException("hs_compile_lit_multi failed: " + rc);
        java.lang.ref.Reference.reachabilityFence(held);
        database = new hs_database_t(db.get(0));
        scratch = new hs_scratch_t(); // null: hs_alloc_scratch allocates one
        rc = hyperscan.hs_alloc_scratch(database, scratch);
        if (rc != hyperscan.HS_SUCCESS) throw new IllegalStateException("hs_alloc_scratch failed: " + rc);
        nativeBody = new BytePointer(size);
        onMatch = new match_event_handler() {
            @Override
            public int call(int id, long from, long to, int flags, Pointer context) {
                hyperscanHits.set(id);
                return 0;
            }
        };

        // The engines must agree on what they find before their speed means anything.
        Set<String> byTrie = ahoCorasick();
        BitSet byHyperscan = (BitSet) hyperscan().clone();
        if (!blockwatchScan().equals(byHyperscan)) {
            throw new IllegalStateException("blockwatch's scan and Hyperscan disagree on the " + text + " body");
        }
        Set<String> byHyperscanText = new HashSet<>();
        byHyperscan.stream().forEach(i -> byHyperscanText.add(new String(literals.get(i), StandardCharsets.UTF_8)));
        // A literal that is not whole UTF-8 (an expression's bytes) has no text form for Aho-Corasick to find.
        byHyperscanText.removeIf(t -> t.indexOf('\uFFFD') >= 0);
        byTrie.removeIf(t -> t.indexOf('\uFFFD') >= 0);
        if (!byTrie.equals(byHyperscanText)) {
            Set<String> onlyTrie = new HashSet<>(byTrie);
            onlyTrie.removeAll(byHyperscanText);
            Set<String> onlyHyperscan = new HashSet<>(byHyperscanText);
            onlyHyperscan.removeAll(byTrie);
            throw new IllegalStateException("Hyperscan and Aho-Corasick disagree on the " + text + " body: " + byHyperscanText.size()
                    + " and " + byTrie.size() + " literals found; only by Hyperscan: " + onlyHyperscan + "; only by Aho-Corasick: " + onlyTrie);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        hyperscan.hs_free_scratch(scratch);
        hyperscan.hs_free_database(database);
        nativeBody.close();
        onMatch.close();
    }

    @Benchmark
    public List<Fingerprint> blockwatch() {
        return set.matchBody(body);
    }

    @Benchmark
    public BitSet blockwatchScan() {
        scanHits.clear();
        automaton.scan(body, 0, body.length, (p, end) -> {
            scanHits.set(p);
            return true;
        });
        return scanHits;
    }

    @Benchmark
    public BitSet hyperscan() {
        hyperscanHits.clear();
        nativeBody.position(0).put(body, 0, body.length);
        int rc = hyperscan.hs_scan(database, nativeBody, body.length, 0, scratch, onMatch, null);
        if (rc != hyperscan.HS_SUCCESS) throw new IllegalStateException("hs_scan failed: " + rc);
        return hyperscanHits;
    }

    @Benchmark
    public Set<String> ahoCorasick() {
        Set<String> found = new HashSet<>();
        trie.parseText(new String(body, StandardCharsets.UTF_8), emit -> found.add(emit.getKeyword()));
        return found;
    }
}
