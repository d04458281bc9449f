package org.blockwatch.core.portfiltering;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Comparator;
import java.util.Locale;

/**
 * One way out that the port-filtering kind tries: a TCP port (connect, then the helper's
 * exchange), DNS over a UDP port, or a QUIC Initial to a UDP port. Its label, {@code tcp/3785},
 * {@code udp/53}, {@code quic/443}, is what the records and the agent publish.
 */
public record Channel(Service service, int port) implements Comparable<Channel> {
    /** How a channel is tried. */
    public enum Service {
        /** A TCP connect and the helper's line exchange ({@link PortFilterWire#tcpRequest}). */
        TCP("tcp"),
        /** A DNS query over UDP for a name in the helper's zone ({@link PortFilterWire#dnsQuery}). */
        DNS("udp"),
        /** A QUIC Initial of an unknown version over UDP, answered with a Version Negotiation. */
        QUIC("quic");

        private final String label;

        Service(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** The transport the helper listens on for it: {@code tcp} or {@code udp}. */
        public String transport() {
            return this == TCP ? "tcp" : "udp";
        }
    }

    private static final Comparator<Channel> ORDER = Comparator.comparing(Channel::service).thenComparingInt(Channel::port);

    public Channel {
        if (service == null) throw new IllegalArgumentException("a channel needs a service");
        if (port < 1 || port > 65535) throw new IllegalArgumentException(service.label + "/" + port + ": a port is 1 to 65535");
    }

    /** {@code tcp/443}, {@code udp/53}, {@code quic/443}: also how the records write it. */
    @JsonValue
    public String label() {
        return service.label + "/" + port;
    }

    /** @throws IllegalArgumentException naming what is wrong with {@code label} */
    public static Channel parse(String label) {
        int slash = label == null ? -1 : label.indexOf('/');
        if (slash < 0) throw new IllegalArgumentException("'" + label + "' is not a channel (tcp/PORT, udp/PORT or quic/PORT)");
        String name = label.substring(0, slash).toLowerCase(Locale.ROOT);
        int port;
        try {
            port = Integer.parseInt(label.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + label + "': the port is not a number");
        }
        for (Service s : Service.values()) {
            if (s.label.equals(name)) return new Channel(s, port);
        }
        throw new IllegalArgumentException("'" + label + "' is not a channel (tcp/PORT, udp/PORT or quic/PORT)");
    }

    /** TCP first, then DNS over UDP, then QUIC; each by port. */
    @Override
    public int compareTo(Channel other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return label();
    }
}
