package org.blockwatch.core.archival;

import java.util.List;

/**
 * A web measurement's {@code x_dns_intercepted}: the interception checks of the Do53 resolvers it
 * asked, as they stood when it was made (one check serves every measurement for a few minutes,
 * and each measurement records the one it relied on). Absent from a measurement that asked no
 * checked resolver.
 *
 * @param intercepted true when a resolver it asked is intercepted; false when every one is proven
 *     not to be; null when some could not be told and none is intercepted
 */
public record DnsIntercepted(Boolean intercepted, List<ResolverInterception> resolvers) {

    public DnsIntercepted {
        resolvers = List.copyOf(resolvers);
    }

    /** The key of these resolvers' checks; null when there is none. */
    public static DnsIntercepted of(List<ResolverInterception> resolvers) {
        if (resolvers.isEmpty()) return null;
        boolean unknown = false;
        for (ResolverInterception r : resolvers) {
            if (r.status() == ResolverInterception.Status.INTERCEPTED) return new DnsIntercepted(true, resolvers);
            if (r.status() == ResolverInterception.Status.UNKNOWN) unknown = true;
        }
        return new DnsIntercepted(unknown ? null : false, resolvers);
    }
}
