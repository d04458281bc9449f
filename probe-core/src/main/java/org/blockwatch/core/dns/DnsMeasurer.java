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
 * own. The first resolver is the primary one (the answer the probe's user would get): its
 * failure is the lookup's. The addresses to measure are every resolver's.
 *
 * <p>With the system's resolver, the list is the OS (getaddrinfo) and its nameserver asked
 * directly; with an explicit resolver, only that one (the OS is never asked).
 */
public final class DnsMeasurer implements Step<String, Resolution> {
    private final List<DnsResolver> resolvers;
    private final ExecutorService executor;

    public DnsMeasurer(List<DnsResolver> resolvers, ExecutorService executor) {
        if (resolvers.isEmpty()) throw new IllegalArgumentException("no resolver to measure with");
        this.resolvers = List.copyOf(resolvers);
        this.executor = executor;
    }

    /** The resolver in use, as recorded in {@code resolver_ip}: the first with an address; empty for the OS alone. */
    public String resolverAddress() {
        return resolvers.stream().map(DnsResolver::address).filter(a -> !a.isEmpty()).findFirst().orElse("");
    }

    @Override
    public Resolution run(String host, StepContext context) {
        List<CompletableFuture<DnsResolver.Lookup>> pending = new ArrayList<>();
        for (DnsResolver r : resolvers) pending.add(CompletableFuture.supplyAsync(() -> r.lookup(host, context), executor));
        List<DnsQuery> queries = new ArrayList<>();
        List<DnsQuery> late = new ArrayList<>();
        Set<String> addresses = new LinkedHashSet<>();
        String failure = null;
        for (int i = 0; i < pending.size(); i++) {
            DnsResolver.Lookup l = pending.get(i).join();
            if (i == 0) failure = l.failure();
            queries.addAll(l.queries());
            late.addAll(l.late());
            for (DnsQuery q : l.queries()) addresses.addAll(q.addresses());
        }
        for (DnsQuery q : late) addresses.addAll(q.addresses());
        return new Resolution(host, queries, late, List.copyOf(addresses), failure);
    }
}
