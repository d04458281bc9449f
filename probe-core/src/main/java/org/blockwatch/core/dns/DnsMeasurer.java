package org.blockwatch.core.dns;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.blockwatch.core.archival.DnsQuery;
import org.blockwatch.core.step.Step;
import org.blockwatch.core.step.StepContext;

/**
 * Resolves a host with every resolver of the measurement at once, each query a DNS step of its
 * own. The path resolvers are what the probe's user gets: the first is the primary one (its
 * failure is the lookup's), and the addresses to measure are every path resolver's. The extra
 * resolvers (a DoH or DoT resolver, say) are evidence: their queries are recorded beside the
 * others, their addresses apart ({@link Resolution#extraAddresses()}), so that a page is never
 * fetched from an address the user's resolver did not give.
 *
 * <p>With the system's resolver, the path is the OS (getaddrinfo) and its nameserver asked
 * directly; with an explicit resolver, only that one (the OS is never asked).
 */
public final class DnsMeasurer implements Step<String, Resolution> {
    private final List<DnsResolver> path;
    private final List<DnsResolver> extra;
    private final ExecutorService executor;

    public DnsMeasurer(List<DnsResolver> path, ExecutorService executor) {
        this(path, List.of(), executor);
    }

    public DnsMeasurer(List<DnsResolver> path, List<DnsResolver> extra, ExecutorService executor) {
        if (path.isEmpty()) throw new IllegalArgumentException("no resolver to measure with");
        this.path = List.copyOf(path);
        this.extra = List.copyOf(extra);
        this.executor = executor;
    }

    /** The resolver in use, as recorded in {@code resolver_ip}: the first path resolver with an address; empty for the OS alone. */
    public String resolverAddress() {
        return path.stream().map(DnsResolver::address).filter(a -> !a.isEmpty()).findFirst().orElse("");
    }

    @Override
    public Resolution run(String host, StepContext context) {
        List<CompletableFuture<DnsResolver.Lookup>> pending = new ArrayList<>();
        for (DnsResolver r : path) pending.add(CompletableFuture.supplyAsync(() -> r.lookup(host, context), executor));
        for (DnsResolver r : extra) pending.add(CompletableFuture.supplyAsync(() -> r.lookup(host, context), executor));
        List<DnsQuery> queries = new ArrayList<>();
        List<DnsQuery> late = new ArrayList<>();
        Set<String> addresses = new LinkedHashSet<>();
        Set<String> extraAddresses = new LinkedHashSet<>();
        String failure = null;
        List<DnsQuery> pathLate = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            DnsResolver.Lookup l = pending.get(i).join();
            boolean onPath = i < path.size();
            if (i == 0) failure = l.failure();
            queries.addAll(l.queries());
            late.addAll(l.late());
            Set<String> into = onPath ? addresses : extraAddresses;
            for (DnsQuery q : l.queries()) into.addAll(q.addresses());
            if (onPath) pathLate.addAll(l.late());
            else for (DnsQuery q : l.late()) extraAddresses.addAll(q.addresses());
        }
        for (DnsQuery q : pathLate) addresses.addAll(q.addresses());
        extraAddresses.removeAll(addresses);
        return new Resolution(host, queries, late, List.copyOf(addresses), List.copyOf(extraAddresses), failure);
    }
}
