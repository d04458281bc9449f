package org.blockwatch.core.nettest;

/**
 * What answered during a measurement, whatever its kind: the control (the same measurement made
 * from outside), and the thing measured (a TCP connection, a STUN answer). The agent reads these
 * to tell its own network's outage from blocking: when nothing answered, the control included,
 * no verdict can be published, and when every measurement of a sweep is so, the probe is offline.
 */
public record Reach(Control control, boolean targetAnswered) {
    /** The control's part: answered, asked and failed, or not asked (a kind asks only when it needs to). */
    public enum Control { ANSWERED, FAILED, NOT_ASKED }

    public static Reach of(boolean controlAnswered, boolean targetAnswered) {
        return new Reach(controlAnswered ? Control.ANSWERED : Control.FAILED, targetAnswered);
    }

    public boolean controlAnswered() {
        return control == Control.ANSWERED;
    }

    /** Nothing answered, the control included: alone, this looks the same as an outage of the probe's own network. */
    public boolean nothingAnswered() {
        return !controlAnswered() && !targetAnswered;
    }
}
