package org.blockwatch.core.portfiltering;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ports a port-filtering helper says it listens on, sent in its TCP answer when the probe's
 * line leaves room for them: what lets the probe tell a port the helper does not serve (refused
 * by the helper's own host) from a port blocked on the way. Each UDP port answers both DNS and QUIC.
 */
public record HelperPorts(List<Integer> tcp, List<Integer> udp) {
    public HelperPorts {
        tcp = List.copyOf(tcp);
        udp = List.copyOf(udp);
    }

    /** Whether the helper listens where {@code channel} goes. */
    public boolean serves(Channel channel) {
        return (channel.service() == Channel.Service.TCP ? tcp : udp).contains(channel.port());
    }

    /** The listing as it follows the nonce in an answer: {@code " tcp=22,443 udp=53,443"}. */
    String format() {
        return " tcp=" + join(tcp) + " udp=" + join(udp);
    }

    /** The listing of an answer ({@code " tcp=... udp=..."}, leading space included); empty when it is not one. */
    static Optional<HelperPorts> parse(String text) {
        String[] parts = text.split(" ", -1);
        if (parts.length != 3 || !parts[0].isEmpty() || !parts[1].startsWith("tcp=") || !parts[2].startsWith("udp=")) return Optional.empty();
        try {
            return Optional.of(new HelperPorts(ports(parts[1].substring(4)), ports(parts[2].substring(4))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static List<Integer> ports(String list) {
        List<Integer> ports = new ArrayList<>();
        if (list.isEmpty()) return ports;
        for (String p : list.split(",", -1)) {
            int port = Integer.parseInt(p);
            if (port < 1 || port > 65535) throw new NumberFormatException(p);
            ports.add(port);
        }
        return ports;
    }

    private static String join(List<Integer> ports) {
        return String.join(",", ports.stream().map(String::valueOf).toList());
    }
}
