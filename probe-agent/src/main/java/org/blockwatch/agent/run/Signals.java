package org.blockwatch.agent.run;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT as a request to stop: the agent finishes cleanly and exits 0, where the
 * JVM's default would exit 143 or 130 from inside a shutdown hook.
 */
public final class Signals {
    private Signals() {}

    public static void onStop(Runnable stop) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), s -> stop.run());
            } catch (IllegalArgumentException unsupported) {
                // a platform without this signal: the JVM's default stands
            }
        }
    }
}
