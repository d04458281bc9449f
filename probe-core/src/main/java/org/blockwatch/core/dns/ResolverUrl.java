package org.blockwatch.core.dns;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.blockwatch.core.ip.Endpoint;
import org.blockwatch.core.ip.IpLiteral;

/**
 * A resolver as OONI's dnscheck takes it (ts-028): {@code udp://HOST[:PORT]},
 * {@code tcp://HOST[:PORT]}, {@code dot://HOST[:PORT]} (DNS over TLS, RFC 7858) and
 * {@code https://HOST[:PORT]/PATH} (DNS over HTTPS, RFC 8484, POST). {@code HOST} is a name or an
 * IP address ({@code [v6]} in brackets); the port defaults to 53, 53, 853 and 443. A name is
 * resolved before use (the bootstrap, by the system's resolver).
 *
 * <p>Two of dnscheck's options may follow as a query, under OONI's names for them:
 * {@code tls_server_name=NAME} (the SNI, and the name the certificate must be valid for, of
 * {@code dot} and {@code https}; by default the URL's host when it is a name, else no SNI and the
 * certificate must be valid for the address) and {@code default_addrs=IP,IP} (addresses of the
 * host measured besides, or instead of, the bootstrap's: a resolver whose name the system's
 * resolver refuses can still be measured). So {@code dot://8.8.8.8?tls_server_name=dns.google}.
 * Nothing else may follow: a DoH URL with a query of its own is refused rather than misread.
 *
 * @param protocol how queries travel
 * @param host a lower-case name, or an IP address as text without brackets
 * @param port the port queries go to
 * @param portGiven whether the URL named the port (kept when the URL is written again)
 * @param path DoH's path ({@code /dns-query}); empty for the others
 * @param tlsServerName the {@code tls_server_name} option, or null
 * @param defaultAddrs the {@code default_addrs} option, in order, without duplicates
 */
public record ResolverUrl(Protocol protocol, String host, int port, boolean portGiven, String path, String tlsServerName,
        List<InetAddress> defaultAddrs) {

    private static final Pattern NAME = Pattern.compile("(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*\\.?");

    /** The four transports, each with its URL scheme, default port and OONI's {@code engine} name. */
    public enum Protocol {
        UDP("udp", 53, "udp"), TCP("tcp", 53, "tcp"), DOT("dot", 853, "dot"), DOH("https", 443, "doh");

        private final String scheme;
        private final int defaultPort;
        private final String engine;

        Protocol(String scheme, int defaultPort, String engine) {
            this.scheme = scheme;
            this.defaultPort = defaultPort;
            this.engine = engine;
        }

        public String scheme() {
            return scheme;
        }

        public int defaultPort() {
            return defaultPort;
        }

        /** OONI's {@code engine} of a query over it: udp, tcp, dot, doh. */
        public String engine() {
            return engine;
        }

        /** Whether its queries travel inside TLS. */
        public boolean encrypted() {
            return this == DOT || this == DOH;
        }

        static Optional<Protocol> ofScheme(String scheme) {
            for (Protocol p : values()) {
                if (p.scheme.equals(scheme)) return Optional.of(p);
            }
            return Optional.empty();
        }
    }

    public ResolverUrl {
        defaultAddrs = List.copyOf(defaultAddrs);
    }

    /** @throws IllegalArgumentException naming what is wrong with {@code input} */
    public static ResolverUrl parse(String input) {
        String text = input == null ? "" : input.strip();
        String expected = " (expected udp://HOST[:PORT], tcp://HOST[:PORT], dot://HOST[:PORT] or https://HOST[:PORT]/PATH)";
        if (text.isEmpty()) throw new IllegalArgumentException("empty resolver URL" + expected);
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + input + "' is not a resolver URL: " + e.getReason() + expected);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        Protocol protocol = Protocol.ofScheme(scheme).orElseThrow(() -> new IllegalArgumentException("'" + input + "': "
                + (scheme.isEmpty() ? "no scheme" : "scheme '" + scheme + "' is not a resolver's") + expected));
        if (uri.getRawUserInfo() != null) throw new IllegalArgumentException("'" + input + "': a resolver URL carries no user name or password");
        if (uri.getRawFragment() != null) throw new IllegalArgumentException("'" + input + "': a resolver URL has no #fragment");
        String rawHost = uri.getHost();
        if (rawHost == null || rawHost.isEmpty()) {
            throw new IllegalArgumentException("'" + input + "': no host, or not a valid one (a name, an IPv4 address, or [IPv6])" + expected);
        }
        String host;
        Optional<InetAddress> ip = IpLiteral.parse(rawHost);
        if (ip.isPresent()) {
            host = ip.get().getHostAddress();
        } else if (rawHost.startsWith("[")) {
            throw new IllegalArgumentException("'" + input + "': '" + rawHost + "' is not an IPv6 address");
        } else {
            host = name(input, rawHost, "host");
        }
        int port = uri.getPort();
        boolean portGiven = port >= 0;
        if (portGiven && (port < 1 || port > 65535)) throw new IllegalArgumentException("'" + input + "': port must be 1-65535");
        if (!portGiven) port = protocol.defaultPort();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (protocol == Protocol.DOH) {
            if (path.isEmpty()) path = "/";
        } else if (!path.isEmpty() && !path.equals("/")) {
            throw new IllegalArgumentException("'" + input + "': a " + scheme + ":// resolver has no path ('" + path + "'); only https:// (DoH) does");
        } else {
            path = "";
        }
        String tlsServerName = null;
        LinkedHashSet<InetAddress> addrs = new LinkedHashSet<>();
        if (uri.getRawQuery() != null) {
            for (String option : uri.getRawQuery().split("&", -1)) {
                int eq = option.indexOf('=');
                String key = eq < 0 ? option : option.substring(0, eq);
                String value = eq < 0 ? "" : java.net.URLDecoder.decode(option.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
                switch (key) {
                    case "tls_server_name" -> {
                        if (!protocol.encrypted()) {
                            throw new IllegalArgumentException("'" + input + "': tls_server_name is an option of dot:// and https:// only");
                        }
                        tlsServerName = name(input, value, "tls_server_name");
                    }
                    case "default_addrs" -> {
                        for (String a : value.split("[, ]+")) {
                            if (a.isEmpty()) continue;
                            addrs.add(IpLiteral.parse(a).orElseThrow(() -> new IllegalArgumentException(
                                    "'" + input + "': default_addrs: '" + a + "' is not an IP address")));
                        }
                        if (addrs.isEmpty()) throw new IllegalArgumentException("'" + input + "': default_addrs is empty");
                    }
                    default -> throw new IllegalArgumentException("'" + input + "': unknown option '" + key
                            + "' (a resolver URL takes tls_server_name=NAME and default_addrs=IP,IP)");
                }
            }
        }
        return new ResolverUrl(protocol, host, port, portGiven, path, tlsServerName, new ArrayList<>(addrs));
    }

    private static String name(String input, String raw, String what) {
        String n = raw.toLowerCase(Locale.ROOT);
        if (!NAME.matcher(n).matches() || n.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
            throw new IllegalArgumentException("'" + input + "': " + what + " '" + raw + "' is not a host name");
        }
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    /** The host as an address, when the URL gives one (no bootstrap is needed then). */
    public Optional<InetAddress> address() {
        return IpLiteral.parse(host);
    }

    /** Whether the host is a name, which a bootstrap lookup must turn into addresses. */
    public boolean needsBootstrap() {
        return address().isEmpty();
    }

    /**
     * The name sent as SNI, and the name the certificate must be valid for: the
     * {@code tls_server_name} option, else the host when it is a name; null for an address
     * alone (no SNI is sent, and the certificate must be valid for that address).
     */
    public String serverName() {
        if (tlsServerName != null) return tlsServerName;
        return needsBootstrap() ? host : null;
    }

    /**
     * This URL with its host replaced by {@code ip}, as OONI's dnscheck names its lookups
     * ({@code https://dns.google/dns-query} at 8.8.8.8 is {@code https://8.8.8.8/dns-query}); the
     * options are left out (the server name stays the original host's, see {@link #at}).
     */
    public String lookupKey(InetAddress ip) {
        return protocol.scheme() + "://" + Endpoint.hostPart(ip.getHostAddress()) + (portGiven ? ":" + port : "") + path;
    }

    /**
     * The same resolver pinned to {@code ip}: the host becomes the address and the server name is
     * kept as {@code tls_server_name} (so SNI and certificate check stay the name's).
     */
    public ResolverUrl at(InetAddress ip) {
        String name = protocol.encrypted() ? serverName() : null;
        return new ResolverUrl(protocol, ip.getHostAddress(), port, portGiven, path, name, List.of());
    }

    /** The URL written back in the form {@link #parse} reads (options last). */
    public String text() {
        StringBuilder s = new StringBuilder(protocol.scheme()).append("://").append(Endpoint.hostPart(host));
        if (portGiven) s.append(':').append(port);
        s.append(path);
        List<String> options = new ArrayList<>();
        if (tlsServerName != null) options.add("tls_server_name=" + tlsServerName);
        if (!defaultAddrs.isEmpty()) options.add("default_addrs=" + String.join(",", defaultAddrs.stream().map(InetAddress::getHostAddress).toList()));
        if (!options.isEmpty()) s.append('?').append(String.join("&", options));
        return s.toString();
    }

    @Override
    public String toString() {
        return text();
    }
}
