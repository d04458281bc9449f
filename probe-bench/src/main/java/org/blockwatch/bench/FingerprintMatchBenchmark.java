package org.blockwatch.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.blockwatch.core.signature.Fingerprint;
import org.blockwatch.core.signature.FingerprintSet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Matching a body against the whole fingerprint set: the automaton (one pass) against the naive
 * way (one {@code contains} per pattern). MB/s = ops/s x size.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FingerprintMatchBenchmark {
    @Param({"4096", "65536", "1048576"})
    int size;

    byte[] body;
    FingerprintSet set;
    List<String> bodyPatterns;

    @Setup
    public void setUp() {
        body = Bodies.html(size);
        set = FingerprintSet.bundled();
        bodyPatterns = FingerprintSet.bundledFingerprints().stream()
                .filter(f -> f.location().equals("body") && !f.type().equals("regexp"))
                .map(Fingerprint::pattern).toList();
    }

    @Benchmark
    public List<Fingerprint> automaton() {
        return set.matchBody(body);
    }

    @Benchmark
    public void naiveContainsPerPattern(Blackhole bh) {
        String text = new String(body, StandardCharsets.UTF_8);
        for (String p : bodyPatterns) bh.consume(text.contains(p));
    }
}
