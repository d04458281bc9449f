package org.blockwatch.core.step;

import java.time.Duration;

/**
 * Every timeout derived from the one a volunteer sets ({@code measurement.timeout}, each step's
 * own limit), in one place, each factor named and said why. Nothing else multiplies a timeout.
 */
public final class Timeouts {
    /** A URL, redirects included, gets at least six steps: a lookup, a connect, a handshake, the request, and a redirect's. */
    public static final int URL_STEPS = 6;
    /** OkHttp's whole call: its head, then its body, each read within a step. */
    public static final int HTTP_CALL_STEPS = 2;
    /** A check made outside a URL's measurement: two steps (a connect and a handshake; a lookup and a STUN binding). */
    public static final int STANDALONE_STEPS = 2;
    /**
     * One test helper: it measures the URL itself, with its own timeouts, so it gets at least
     * OONI's 15 s, and one and a half of the probe's steps when those are longer.
     */
    public static final Duration CONTROL_HELPER_FLOOR = Duration.ofSeconds(15);
    public static final double CONTROL_HELPER_STEPS = 1.5;
    /** The control, every helper tried in turn: two helpers' time. */
    public static final int CONTROL_HELPERS = 2;

    private Timeouts() {}

    /** A URL's deadline: {@code configured}, or six steps when that is longer. */
    public static Duration urlDeadline(Duration step, Duration configured) {
        Duration least = step.multipliedBy(URL_STEPS);
        return configured.compareTo(least) < 0 ? least : configured;
    }

    public static Duration httpCall(Duration step) {
        return step.multipliedBy(HTTP_CALL_STEPS);
    }

    public static Duration standalone(Duration step) {
        return step.multipliedBy(STANDALONE_STEPS);
    }

    public static Duration controlPerHelper(Duration step) {
        Duration scaled = Duration.ofNanos((long) (step.toNanos() * CONTROL_HELPER_STEPS));
        return scaled.compareTo(CONTROL_HELPER_FLOOR) < 0 ? CONTROL_HELPER_FLOOR : scaled;
    }

    public static Duration controlTotal(Duration step) {
        return controlPerHelper(step).multipliedBy(CONTROL_HELPERS);
    }
}
