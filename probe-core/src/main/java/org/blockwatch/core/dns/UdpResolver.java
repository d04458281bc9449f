package org.blockwatch.core.dns;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.blockwatch.core.archival.DnsQuery;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.step.StepContext;
import org.xbill.DNS.Type;

/** A nameserver asked directly over UDP: A and AAAA at once, every answer kept (an injector's and the real one). */
public final class UdpResolver implements DnsResolver {
    private final DirectDnsClient client;
    private final ExecutorService executor;

    public UdpResolver(DirectDnsClient client, ExecutorService executor) {
        this.client = client;
        this.executor = executor;
    }

    @Override
    public String address() {
        return client.resolver().toString();
    }

    @Override
    public Lookup lookup(String host, StepContext context) {
        CompletableFuture<DnsResponses> a = CompletableFuture.supplyAsync(() -> client.query(host, Type.A, context), executor);
        CompletableFuture<DnsResponses> aaaa = CompletableFuture.supplyAsync(() -> client.query(host, Type.AAAA, context), executor);
        List<DnsQuery> queries = new ArrayList<>();
        List<DnsQuery> late = new ArrayList<>();
        DnsResponses ra = a.join(), raaaa = aaaa.join();
        for (DnsResponses r : List.of(ra, raaaa)) {
            queries.add(r.first());
            late.addAll(r.late());
        }
        return new Lookup(queries, late, failure(ra.first(), raaaa.first()));
    }

    /**
     * The failure of an A+AAAA lookup as a whole: none when either gave addresses; the A query's
     * when both failed (an IPv4-only site's AAAA "no answer" must not hide the A query's error),
     * except that a real answer for AAAA beats a failed A.
     */
    static String failure(DnsQuery a, DnsQuery aaaa) {
        if (!a.addresses().isEmpty() || !aaaa.addresses().isEmpty()) return null;
        if (Failure.DNS_NO_ANSWER.equals(a.failure()) && aaaa.failure() != null && !Failure.DNS_NO_ANSWER.equals(aaaa.failure())) {
            return aaaa.failure();
        }
        return a.failure();
    }
}
