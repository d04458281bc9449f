package org.blockwatch.core.dns;

import java.util.List;
import org.blockwatch.core.archival.DnsQuery;

/**
 * The outcome of one direct query: the first response (or the failure) and every later response
 * to the same query. Two responses to one query are a sign of on-path injection: the injector
 * answers first, the real resolver later.
 */
public record DnsResponses(DnsQuery first, List<DnsQuery> late) {
    public DnsResponses {
        late = List.copyOf(late);
    }
}
