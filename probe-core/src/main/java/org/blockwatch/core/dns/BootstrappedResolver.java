package org.blockwatch.core.dns;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.blockwatch.core.archival.DnsQuery;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.ip.IpLiteral;
import org.blockwatch.core.step.StepContext;

/**
 * A resolver given by name ({@code https://dns.example/dns-query}): at each lookup its name is
 * resolved first (the bootstrap, recorded among the lookup's queries), then its addresses are
 * asked in turn, IPv4 first and then the URL's {@code default_addrs}, until one gives a response
 * ({@link #ADDRESSES_TRIED} at most). Thread-safe.
 */
final class BootstrappedResolver implements DnsResolver {
    /** Addresses asked in turn at most: a resolver dropped at every address must not cost a minute. */
    static final int ADDRESSES_TRIED = 2;
    private final ResolverUrl url;
    private final Resolvers.Setup setup;
    private final DnsResolver bootstrap;

    BootstrappedResolver(ResolverUrl url, Resolvers.Setup setup, DnsResolver bootstrap) {
        this.url = url;
        this.setup = setup;
        this.bootstrap = bootstrap;
    }

    /** The URL as given: its address changes with the bootstrap. */
    @Override
    public String address() {
        return url.text();
    }

    @Override
    public Lookup lookup(String host, StepContext context) {
        Lookup boot = bootstrap.lookup(url.host(), context);
        List<DnsQuery> queries = new ArrayList<>(boot.queries());
        List<DnsQuery> late = new ArrayList<>(boot.late());
        List<InetAddress> candidates = candidates(boot, url.defaultAddrs());
        if (candidates.isEmpty()) return new Lookup(queries, late, boot.failure() != null ? boot.failure() : Failure.DNS_NO_ANSWER);
        String failure = null;
        for (InetAddress a : candidates.subList(0, Math.min(ADDRESSES_TRIED, candidates.size()))) {
            WireResolver.Traced t = Resolvers.at(url, a, setup).trace(host, context);
            queries.addAll(t.lookup().queries());
            late.addAll(t.lookup().late());
            failure = t.lookup().failure();
            if (t.answered()) break;
        }
        return new Lookup(queries, late, failure);
    }

    /** The bootstrap's addresses, IPv4 first, then {@code defaults}, each once. */
    static List<InetAddress> candidates(Lookup boot, List<InetAddress> defaults) {
        Set<InetAddress> all = new LinkedHashSet<>();
        boot.queries().stream().flatMap(q -> q.addresses().stream()).map(a -> IpLiteral.parse(a).orElseThrow())
                .sorted(Comparator.comparing((InetAddress a) -> a.getAddress().length)).forEach(all::add);
        all.addAll(defaults);
        return List.copyOf(all);
    }
}
