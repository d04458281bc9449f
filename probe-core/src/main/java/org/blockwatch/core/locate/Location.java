package org.blockwatch.core.locate;

import java.net.InetAddress;
import java.util.List;

/**
 * Where the probe is, as looked up: its network, the resolver's egress address and network, and
 * what could not be found. The public address stays in memory only, for scrubbing it from what is
 * stored, and never in {@link #toString()}, so that a log line cannot carry it by mistake.
 *
 * @param publicAddress the probe's public address, or null when no server told it
 * @param resolverEgress the address the resolver's queries leave from, or null; published as OONI's {@code resolver_ip}
 */
public record Location(AsInfo network, InetAddress publicAddress, InetAddress resolverEgress, AsInfo resolverNetwork, List<String> problems) {
    public static final Location UNKNOWN = new Location(AsInfo.UNKNOWN, null, null, AsInfo.UNKNOWN, List.of());

    public Location {
        problems = List.copyOf(problems);
    }

    /** Whether the resolver's queries leave from another network than the probe's (typical of a public resolver). */
    public boolean resolverElsewhere() {
        return network.known() && resolverNetwork.known() && network.asn() != resolverNetwork.asn();
    }

    @Override
    public String toString() {
        return "Location[network=" + network + ", resolver=" + (resolverEgress == null ? "?" : resolverEgress.getHostAddress())
                + " " + resolverNetwork + (problems.isEmpty() ? "" : ", problems=" + problems) + "]";
    }
}
