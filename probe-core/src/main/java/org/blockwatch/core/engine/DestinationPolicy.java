package org.blockwatch.core.engine;

import java.net.InetAddress;

/** Which addresses the engine may connect to. The control server refuses private ones. */
@FunctionalInterface
public interface DestinationPolicy {
    DestinationPolicy ANY = address -> true;

    boolean allows(InetAddress address);
}
