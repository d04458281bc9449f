package org.blockwatch.core.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.blockwatch.core.ip.IpLiteral;

/**
 * Whether a leaf certificate is valid for a host, as browsers decide (RFC 6125 / RFC 2818):
 * DNS names in the subject alternative names, a wildcard only as the whole left-most label and
 * matching exactly one label; IP hosts only against IP address entries. The common name is not
 * consulted, as browsers no longer do. Hosts are ASCII (IDNs in their xn-- form).
 */
final class HostnameMatcher {
    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;

    private HostnameMatcher() {}

    static boolean matches(X509Certificate leaf, String host) {
        Collection<List<?>> names;
        try {
            names = leaf.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return false;
        }
        if (names == null) return false;
        var ip = IpLiteral.parse(host);
        for (List<?> entry : names) {
            int type = (Integer) entry.get(0);
            String value = String.valueOf(entry.get(1));
            if (ip.isPresent()) {
                if (type == IP_ADDRESS && IpLiteral.parse(value).equals(ip)) return true;
            } else if (type == DNS_NAME && dnsNameMatches(value, host)) {
                return true;
            }
        }
        return false;
    }

    static boolean dnsNameMatches(String pattern, String host) {
        String p = stripDot(pattern.toLowerCase(Locale.ROOT));
        String h = stripDot(host.toLowerCase(Locale.ROOT));
        if (p.isEmpty() || h.isEmpty()) return false;
        if (!p.startsWith("*.")) return p.equals(h);
        String suffix = p.substring(1); // ".example.com"
        if (suffix.indexOf('*') >= 0 || suffix.chars().filter(c -> c == '.').count() < 2) return false;
        if (!h.endsWith(suffix)) return false;
        String label = h.substring(0, h.length() - suffix.length());
        return !label.isEmpty() && label.indexOf('.') < 0;
    }

    private static String stripDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
