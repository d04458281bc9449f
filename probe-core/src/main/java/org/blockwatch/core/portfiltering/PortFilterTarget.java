package org.blockwatch.core.portfiltering;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The input of the port-filtering kind: its helper, {@code portfilter://HOST} (a name, an IPv4
 * address, or an IPv6 one in brackets). OONI's portfiltering takes no input (its helper is built
 * in); blockwatch's helpers are self-hosted, so the input names one, in the URL shape of
 * {@code stun://}. No port: the ports tried are the kind's configuration.
 */
public record PortFilterTarget(String input, String host) {
    public static final String SCHEME = "portfilter";

    /** @throws IllegalArgumentException naming what is wrong with {@code input} */
    public static PortFilterTarget parse(String input) {
        String text = input == null ? "" : input.strip();
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + input + "' is not a port-filtering helper: " + e.getReason() + " (expected portfilter://HOST)");
        }
        if (uri.getScheme() == null || !uri.getScheme().toLowerCase(Locale.ROOT).equals(SCHEME)) {
            throw new IllegalArgumentException("'" + input + "' is not a port-filtering helper: expected portfilter://HOST");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) throw new IllegalArgumentException("'" + input + "': no host (expected portfilter://HOST)");
        if (uri.getPort() != -1) {
            throw new IllegalArgumentException("'" + input + "': no port in the input (portfilter://HOST): the ports tried are the kind's configuration");
        }
        if ((uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) || uri.getRawQuery() != null
                || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("'" + input + "': only a host is expected (portfilter://HOST)");
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        return new PortFilterTarget(text, host.toLowerCase(Locale.ROOT));
    }
}
