package org.blockwatch.core.nettest;

import org.blockwatch.core.verdict.Verdict;

/** One measurement of a kind: which kind (OONI's {@code test_name} and {@code test_version}) and what it found. */
public record Measurement(String testName, String testVersion, Result result) {

    public static Measurement of(Nettest kind, Result result) {
        return new Measurement(kind.testName(), kind.testVersion(), result);
    }

    public Verdict verdict() {
        return result.verdict();
    }

    public String input() {
        return result.input();
    }
}
