package org.blockwatch.core.stun;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** A STUN server as OONI's stunreachability takes it: {@code stun://host:port}, the port required. */
public record StunEndpoint(String input, String host, int port) {

    /** @throws IllegalArgumentException naming what is wrong with {@code input} */
    public static StunEndpoint parse(String input) {
        String text = input == null ? "" : input.strip();
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + input + "' is not a STUN endpoint: " + e.getReason() + " (expected stun://HOST:PORT)");
        }
        if (uri.getScheme() == null || !uri.getScheme().toLowerCase(Locale.ROOT).equals("stun")) {
            throw new IllegalArgumentException("'" + input + "' is not a STUN endpoint: expected stun://HOST:PORT");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) throw new IllegalArgumentException("'" + input + "': no host (expected stun://HOST:PORT)");
        if (uri.getPort() < 1) throw new IllegalArgumentException("'" + input + "': the port is required (stun://HOST:PORT, 3478 is STUN's usual port)");
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        return new StunEndpoint(text, host.toLowerCase(Locale.ROOT), uri.getPort());
    }

    /** OONI's {@code endpoint} key: {@code host:port}. */
    public String endpoint() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
