package org.blockwatch.core.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.blockwatch.core.ip.Endpoint;
import org.blockwatch.core.ip.IpLiteral;

/** A resolver given as {@code IP}, {@code IP:PORT} or {@code [IPv6]:PORT}; port 53 by default. */
public record ResolverAddress(InetSocketAddress socketAddress) {

    public static ResolverAddress parse(String text) {
        String s = text.trim();
        String host;
        int port = 53;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) throw new IllegalArgumentException("resolver '" + text + "': missing ']'");
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) throw new IllegalArgumentException("resolver '" + text + "': expected ':PORT' after ']'");
                port = parsePort(text, rest.substring(1));
            }
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            host = s.substring(0, s.indexOf(':'));
            port = parsePort(text, s.substring(s.indexOf(':') + 1));
        } else {
            host = s;
        }
        InetAddress ip = IpLiteral.parse(host).orElseThrow(() ->
                new IllegalArgumentException("resolver '" + text + "': expected an IP address"));
        return new ResolverAddress(new InetSocketAddress(ip, port));
    }

    private static int parsePort(String text, String port) {
        try {
            int p = Integer.parseInt(port);
            if (p < 1 || p > 65535) throw new NumberFormatException();
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("resolver '" + text + "': port must be 1-65535");
        }
    }

    /** As OONI writes it: {@code 1.2.3.4:53} or {@code [::1]:53}. */
    @Override
    public String toString() {
        return Endpoint.of(socketAddress).toString();
    }
}
