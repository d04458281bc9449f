package org.blockwatch.core.dns;

import java.util.List;
import org.blockwatch.core.archival.DnsQuery;
import org.blockwatch.core.step.StepContext;

/**
 * One resolver a host is measured with: the operating system's ({@link SystemResolver}), a
 * nameserver over UDP ({@link UdpResolver}); DNS over HTTPS and over TLS take their place here
 * as resolvers of their own. Each query is a DNS step of its own. Thread-safe.
 *
 * <p>A resolver is on the measurement's path (its answer is the user's, and the page is fetched
 * from its addresses) or extra ({@code EngineConfig.extraResolvers}: evidence only, see {@link
 * DnsMeasurer}). The analysis tells them apart by the records alone: a query is the path's when
 * its engine is {@code getaddrinfo} or it went to the measurement's resolver; an extra
 * resolver's answer counts as one no one on the path can forge only when its queries carry
 * OONI's engine {@code doh} or {@code dot} (and {@code resolver_address} its URL or {@code
 * host:port}), so a DoH or DoT resolver must record those.
 */
public interface DnsResolver {
    /** Where the queries go, as {@code resolver_ip} and {@code x_resolver} record it: empty for the system's, {@code ip:port}, a URL. */
    String address();

    /** Resolves {@code host}; never throws: failures are in the records. */
    Lookup lookup(String host, StepContext context);

    /** What one resolver gave: its queries, the further answers that came late, the failure of the lookup as a whole (null when it found addresses). */
    record Lookup(List<DnsQuery> queries, List<DnsQuery> late, String failure) {
        public Lookup {
            queries = List.copyOf(queries);
            late = List.copyOf(late);
        }
    }
}
