package org.blockwatch.core.verdict;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import okhttp3.HttpUrl;
import org.blockwatch.core.archival.DnsQuery;
import org.blockwatch.core.archival.HttpTransaction;
import org.blockwatch.core.archival.TcpConnect;
import org.blockwatch.core.archival.TlsHandshake;
import org.blockwatch.core.archival.WebObservation;
import org.blockwatch.core.ip.IpLiteral;
import org.blockwatch.core.ip.Endpoint;

/** Read-only views of an observation by host: what each host resolved to, which steps worked. */
final class ObservedHops {
    private final WebObservation o;

    ObservedHops(WebObservation o) {
        this.o = o;
    }

    /** The addresses the probe's resolvers gave for {@code host} (first answers; an IP host is itself). */
    List<String> addresses(String host) {
        if (IpLiteral.parse(host).isPresent()) return List.of(IpLiteral.parse(host).get().getHostAddress());
        Set<String> out = new LinkedHashSet<>();
        for (DnsQuery q : o.queries()) {
            if (q.hostname().equalsIgnoreCase(host)) out.addAll(q.addresses());
        }
        return List.copyOf(out);
    }

    List<DnsQuery> queries(String host) {
        return o.queries().stream().filter(q -> q.hostname().equalsIgnoreCase(host)).toList();
    }

    boolean dnsFailed(String host) {
        return IpLiteral.parse(host).isEmpty() && addresses(host).isEmpty();
    }

    List<TcpConnect> connects(String host, int port) {
        List<String> addresses = addresses(host);
        return o.tcpConnect().stream().filter(c -> c.port() == port && addresses.contains(c.ip())).toList();
    }

    List<TlsHandshake> handshakes(String host, int port) {
        Set<String> endpoints = new LinkedHashSet<>();
        for (String a : addresses(host)) endpoints.add(endpoint(a, port));
        return o.tlsHandshakes().stream().filter(h -> endpoints.contains(h.address())).toList();
    }

    /** An address of the host on which a TLS handshake with the host's name validated. */
    boolean validatedByTls(String address, String host) {
        return o.tlsHandshakes().stream().anyMatch(h -> h.failure() == null && h.address().startsWith(endpointPrefix(address))
                && (h.serverName().equalsIgnoreCase(host) || h.serverName().isEmpty()));
    }

    /**
     * The URL of the hop where the measurement stopped: the target when no request was made, the
     * last request when it failed, or where the last redirect pointed when that hop could not be reached.
     */
    HttpUrl stoppedAt() {
        HttpTransaction newest = o.finalRequest();
        HttpUrl target = HttpUrl.get(o.url());
        if (newest == null) return target;
        if (newest.failure() != null || newest.response() == null || !newest.response().isRedirect()) return HttpUrl.get(newest.url());
        HttpUrl next = HttpUrl.get(newest.url()).resolve(newest.response().headersList().first("Location"));
        return next == null ? HttpUrl.get(newest.url()) : next;
    }

    static String endpoint(String ip, int port) {
        return Endpoint.format(ip, port);
    }

    private static String endpointPrefix(String ip) {
        return Endpoint.hostPart(ip) + ":";
    }
}
