package org.blockwatch.agent.schedule;

import org.blockwatch.agent.targets.Target;
import org.blockwatch.core.nettest.Measurement;

/**
 * A target's turn in a sweep: its measurement (when the state changed, the one of the two that is
 * published: the confirming one, or the first when its evidence of a block is stronger), whether a
 * change was confirmed, and its id in the store (null when it could not be stored).
 */
record Outcome(Target target, Measurement measurement, Long storedId, boolean confirmedChange) {

    /**
     * Nothing answered: no control, and not the target (no TCP connection to any address of a
     * site, no answer from a STUN server). Alone, a blocked target with an unreachable control
     * looks like this; when every target of a sweep does, the probe's own network is down.
     */
    boolean unreachable() {
        return measurement.result().reach().nothingAnswered();
    }

    /** The target answered (a TCP connection to some address of a site succeeded). */
    boolean connected() {
        return measurement.result().reach().targetAnswered();
    }

    /** The control answered. */
    boolean controlAnswered() {
        return measurement.result().reach().controlAnswered();
    }
}
