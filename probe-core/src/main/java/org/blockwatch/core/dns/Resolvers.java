package org.blockwatch.core.dns;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import javax.net.SocketFactory;
import org.blockwatch.core.tls.TlsClient;

/**
 * Builds the resolver a {@link ResolverUrl} names: the one factory for Do53 over UDP and TCP,
 * DNS over TLS and DNS over HTTPS.
 *
 * <ul>
 *   <li>{@link #open}: a {@link DnsResolver} for any code that resolves names (the web engine's
 *       extra resolvers). A URL with an address asks there; a URL with a name first resolves
 *       the name at each lookup with the system's resolver (the bootstrap, recorded among the
 *       lookup's queries as {@code getaddrinfo}) and asks its first address (IPv4 first), then
 *       its second if the first gave no response; the URL's {@code default_addrs} come after the
 *       bootstrap's, and alone when the bootstrap fails.
 *   <li>{@link #at}: the resolver at one address, without a bootstrap, as a
 *       {@link WireResolver} (any message, and what the transport recorded): what dnscheck uses.
 * </ul>
 */
public final class Resolvers {
    private Resolvers() {}

    /**
     * What resolvers are built with, as the engine has it: where sockets come from (direct, or a
     * lab's simulated path; UDP's are always direct), the TLS client whose roots a DoT or DoH
     * chain must end in, the executor a lookup's A and AAAA queries run on at once, and how long
     * a UDP query keeps listening for more responses after the first.
     */
    public record Setup(SocketFactory sockets, TlsClient tls, ExecutorService executor, Duration lateWindow) {}

    /** The resolver {@code url} names, bootstrapped when it names a host (see the class). */
    public static DnsResolver open(ResolverUrl url, Setup setup) {
        return open(url, setup, new SystemResolver());
    }

    /** As {@link #open(ResolverUrl, Setup)}, with {@code bootstrap} resolving the resolver's name (tests, labs). */
    public static DnsResolver open(ResolverUrl url, Setup setup, DnsResolver bootstrap) {
        return url.address().<DnsResolver>map(ip -> at(url, ip, setup)).orElseGet(() -> new BootstrappedResolver(url, setup, bootstrap));
    }

    /** The resolver of {@code url} at {@code address} (a name in the URL stays its SNI and Host). */
    public static WireResolver at(ResolverUrl url, InetAddress address, Setup setup) {
        return switch (url.protocol()) {
            case UDP -> new UdpWireResolver(url, address, setup);
            case TCP -> new TcpResolver(url, address, setup);
            case DOT -> new DotResolver(url, address, setup);
            case DOH -> new DohResolver(url, address, setup);
        };
    }
}
