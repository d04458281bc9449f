package org.blockwatch.core.dns;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.blockwatch.core.archival.DnsAnswer;
import org.blockwatch.core.archival.DnsQuery;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.step.Scope;
import org.blockwatch.core.step.StepContext;
import org.blockwatch.core.step.StepKind;

/**
 * A resolver of the tests' own that answers from a table, recording its queries as a DoH or DoT
 * resolver would ({@code engine} doh, {@code resolver_address} its URL): the encrypted resolver
 * that no one on the path can answer for. A name not in the table is NXDOMAIN.
 */
public record FixedResolver(String address, String engine, Map<String, List<String>> answers) implements DnsResolver {

    /** A DoH resolver at {@code url} that resolves {@code host} to {@code ips}. */
    public static FixedResolver doh(String url, String host, String... ips) {
        return new FixedResolver(url, "doh", Map.of(host, List.of(ips)));
    }

    @Override
    public Lookup lookup(String host, StepContext context) {
        Scope step = context.open(StepKind.DNS, host);
        List<String> ips = answers.get(host);
        String failure = ips == null ? Failure.DNS_NXDOMAIN : null;
        List<DnsAnswer> records = new ArrayList<>();
        if (ips != null) for (String ip : ips) records.add(DnsAnswer.a(ip, 60L));
        step.end(failure, step.now());
        DnsQuery a = new DnsQuery(engine, address, host, "A", ips == null ? 3 : 0, records, failure, step.t0(), step.t(), step.tx());
        return new Lookup(List.of(a), List.of(), failure);
    }
}
