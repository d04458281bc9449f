package org.blockwatch.core.dns;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.blockwatch.core.archival.DnsQuery;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.step.Step;
import org.blockwatch.core.step.StepContext;
import org.xbill.DNS.Type;

/**
 * Resolves a host the way the probe's user would, and directly, at once.
 *
 * <p>With the system's resolver, the primary answer is getaddrinfo's and the direct A and AAAA
 * queries go to the system's nameserver. With an explicit resolver, only the direct queries run
 * (the OS is never asked) and they are the primary answer.
 */
public final class DnsMeasurer implements Step<String, Resolution> {
    private final SystemResolver system;
    private final DirectDnsClient direct;
    private final ExecutorService executor;

    /**
     * @param system the OS resolver, or null when an explicit resolver replaces it
     * @param direct the direct client, or null when no nameserver is known
     */
    public DnsMeasurer(SystemResolver system, DirectDnsClient direct, ExecutorService executor) {
        if (system == null && direct == null) throw new IllegalArgumentException("no resolver to measure with");
        this.system = system;
        this.direct = direct;
        this.executor = executor;
    }

    /** The resolver in use, as recorded in {@code resolver_ip}; empty for the OS alone. */
    public String resolverAddress() {
        return direct == null ? "" : direct.resolver().toString();
    }

    /** Resolves {@code host}: each query is a DNS step of its own, run at once. */
    @Override
    public Resolution run(String host, StepContext context) {
        CompletableFuture<DnsQuery> os = system == null ? null
                : CompletableFuture.supplyAsync(() -> system.lookup(host, context), executor);
        CompletableFuture<DnsResponses> a = direct == null ? null
                : CompletableFuture.supplyAsync(() -> direct.query(host, Type.A, context), executor);
        CompletableFuture<DnsResponses> aaaa = direct == null ? null
                : CompletableFuture.supplyAsync(() -> direct.query(host, Type.AAAA, context), executor);

        List<DnsQuery> queries = new ArrayList<>();
        List<DnsQuery> late = new ArrayList<>();
        Set<String> addresses = new LinkedHashSet<>();
        String failure;
        DnsQuery systemAnswer = os == null ? null : os.join();
        DnsResponses aAnswer = a == null ? null : a.join();
        DnsResponses aaaaAnswer = aaaa == null ? null : aaaa.join();
        if (systemAnswer != null) {
            queries.add(systemAnswer);
            addresses.addAll(systemAnswer.addresses());
            failure = systemAnswer.failure();
        } else {
            failure = directFailure(aAnswer.first(), aaaaAnswer.first());
        }
        for (DnsResponses r : new DnsResponses[] {aAnswer, aaaaAnswer}) {
            if (r == null) continue;
            queries.add(r.first());
            late.addAll(r.late());
            addresses.addAll(r.first().addresses());
        }
        for (DnsQuery q : late) addresses.addAll(q.addresses());
        return new Resolution(host, queries, late, List.copyOf(addresses), failure);
    }

    /**
     * The failure of an A+AAAA lookup as a whole: none when either gave addresses; the A query's
     * when both failed (an IPv4-only site's AAAA "no answer" must not hide the A query's error),
     * except that a real answer for AAAA beats a failed A.
     */
    static String directFailure(DnsQuery a, DnsQuery aaaa) {
        if (!a.addresses().isEmpty() || !aaaa.addresses().isEmpty()) return null;
        if (Failure.DNS_NO_ANSWER.equals(a.failure()) && aaaa.failure() != null && !Failure.DNS_NO_ANSWER.equals(aaaa.failure())) {
            return aaaa.failure();
        }
        return a.failure();
    }
}
