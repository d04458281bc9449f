package org.blockwatch.core.nettest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.verdict.Verdict;

/**
 * What one measurement of a kind found: OONI's {@code test_keys} for it, blockwatch's verdict,
 * and what the agent needs besides (what answered, how fast, the bytes it cost, a line for the
 * log). Immutable.
 */
public interface Result {
    /** The input as measured (OONI's {@code input}; the empty string for a kind without input). */
    String input();

    /** When the measurement started (OONI's {@code measurement_start_time}). */
    Instant startTime();

    double runtimeSeconds();

    /**
     * OONI's {@code test_keys} of this kind as measured by a probe at {@code probe} (some keys, such
     * as Web Connectivity's {@code client_resolver}, name the probe's resolver), without
     * blockwatch's verdict: {@link OoniDocument} adds it. A new tree at each call.
     */
    ObjectNode testKeys(ProbeInfo probe);

    /** OONI's {@code test_helpers}: the helpers this measurement used, by role (empty when none). */
    default Map<String, TestHelper> testHelpers() {
        return Map.of();
    }

    /** The resolver asked, as {@code ip:port}; empty for the system's or none (OONI's {@code resolver_ip} falls back to it). */
    default String resolverAddress() {
        return "";
    }

    Verdict verdict();

    Reach reach();

    default Speed speed() {
        return Speed.UNKNOWN;
    }

    /** The bytes this measurement moved on the wire, estimated from what it recorded (the hourly budget counts them). */
    long bytes();

    /** One line for the log at DEBUG: what each step gave. */
    String summary();

    /** A test helper as OONI's {@code test_helpers} lists it: its address, and {@code https} or {@code http} by its scheme. */
    record TestHelper(String address, String type) {
        public static TestHelper of(String address) {
            return new TestHelper(address, address.regionMatches(true, 0, "http://", 0, 7) ? "http" : "https");
        }

        /** OONI's {@code test_helpers} of a measurement whose control was {@code helper}: {@code backend}, or none when null. */
        public static Map<String, TestHelper> backend(String helper) {
            return helper == null ? Map.of() : Map.of("backend", of(helper));
        }
    }
}
