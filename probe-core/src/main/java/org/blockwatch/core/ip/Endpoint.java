package org.blockwatch.core.ip;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * An IP address and a port, written as OONI writes endpoints: {@code 1.2.3.4:443} or
 * {@code [2001:db8::1]:443}. The one place that formats and parses that text.
 */
public record Endpoint(InetAddress ip, int port) {
    public Endpoint {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port + " is out of range 0 to 65535");
    }

    public static Endpoint of(InetSocketAddress address) {
        return new Endpoint(address.getAddress(), address.getPort());
    }

    /** An {@code ip:port} or {@code [ipv6]:port}; empty when the text is not one (a name, a bare IPv6, no port). */
    public static Optional<Endpoint> parse(String text) {
        if (text == null) return Optional.empty();
        int colon = text.lastIndexOf(':');
        if (colon <= 0) return Optional.empty();
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        else if (host.contains(":")) return Optional.empty();
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (port < 0 || port > 65535) return Optional.empty();
        return IpLiteral.parse(host).map(ip -> new Endpoint(ip, port));
    }

    /** {@code ip:port} for an address given as text (IPv6 in brackets). */
    public static String format(String ip, int port) {
        return hostPart(ip) + ":" + port;
    }

    /** The address as it stands before {@code :port}: IPv6 in brackets. */
    public static String hostPart(String ip) {
        return ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip;
    }

    /**
     * The address in {@code text} without its port: {@code 1.2.3.4} for {@code 1.2.3.4:53},
     * {@code ::1} for {@code [::1]:53}, an address alone as it is; the empty string for anything
     * else (a name, a DoH URL), which names no address.
     */
    public static String addressOf(String text) {
        if (text == null || text.isEmpty()) return "";
        Optional<Endpoint> e = parse(text);
        if (e.isPresent()) return e.get().ip().getHostAddress();
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        return IpLiteral.parse(bare).map(InetAddress::getHostAddress).orElse("");
    }

    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(ip, port);
    }

    @Override
    public String toString() {
        return format(ip.getHostAddress(), port);
    }
}
