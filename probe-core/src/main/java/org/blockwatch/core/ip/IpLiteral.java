package org.blockwatch.core.ip;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parses IP address literals without ever falling back to a DNS lookup, which
 * {@link InetAddress#getByName} does for anything that is not a valid literal.
 */
public final class IpLiteral {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+(%[\\w.]+)?");

    private IpLiteral() {}

    public static Optional<InetAddress> parse(String text) {
        String s = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        boolean literal = IPV4.matcher(s).matches() || (s.indexOf(':') >= 0 && IPV6_CHARS.matcher(s).matches());
        if (!literal) return Optional.empty();
        try {
            // A string with ':' is only ever parsed as an IPv6 literal; a valid dotted quad never looks anything up.
            return Optional.of(InetAddress.getByName(s));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
