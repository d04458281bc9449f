package org.blockwatch.agent.schedule;

import org.blockwatch.agent.targets.Target;
import org.blockwatch.core.archival.TcpConnect;
import org.blockwatch.core.measurement.Measurement;

/**
 * A target's turn in a sweep: its measurement (the confirming one when the state changed),
 * whether a change was confirmed, and its id in the store (null when it could not be stored).
 */
record Outcome(Target target, Measurement measurement, Long storedId, boolean confirmedChange) {

    /**
     * Nothing answered: no control, and no TCP connection to any address. Alone, a blocked site
     * with an unreachable control looks like this; when every target of a sweep does, the probe's
     * own network is down.
     */
    boolean unreachable() {
        return !measurement.control().available() && !connected();
    }

    /** A TCP connection to some address of the target succeeded. */
    boolean connected() {
        return measurement.observation().tcpConnect().stream().anyMatch(TcpConnect::success);
    }
}
