package org.blockwatch.helper;

import java.util.List;
import java.util.Set;
import org.blockwatch.core.ip.IpLiteral;

/**
 * Who a request comes from, for the limits: the peer; or, when the peer is a trusted reverse
 * proxy, the address it appended last to {@code X-Forwarded-For} (the one it saw; earlier ones
 * are the client's own word). From anyone else the header is ignored: it could name anybody.
 */
public final class ClientAddress {
    private ClientAddress() {}

    /** The peer's address as text, without brackets or port. */
    public static String peer(org.eclipse.jetty.server.Request request) {
        return request.getConnectionMetaData().getRemoteSocketAddress() instanceof java.net.InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress()
                : org.eclipse.jetty.server.Request.getRemoteAddr(request);
    }

    /** {@code forwarded}: the request's X-Forwarded-For lines, in order. */
    public static String of(String peer, List<String> forwarded, Set<String> trustedProxies) {
        String canonical = IpLiteral.parse(peer).map(java.net.InetAddress::getHostAddress).orElse(peer);
        if (!trustedProxies.contains(canonical) || forwarded.isEmpty()) return canonical;
        String line = forwarded.get(forwarded.size() - 1);
        String last = line.substring(line.lastIndexOf(',') + 1).strip();
        return IpLiteral.parse(last).map(java.net.InetAddress::getHostAddress).orElse(canonical);
    }
}
