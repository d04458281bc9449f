package org.blockwatch.core.dns;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.blockwatch.core.archival.DnsQuery;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.failure.Operation;
import org.blockwatch.core.ip.Endpoint;
import org.blockwatch.core.step.Scope;
import org.blockwatch.core.step.StepContext;
import org.blockwatch.core.step.StepKind;
import org.xbill.DNS.Message;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** What every wire resolver shares: its pinned URL and address, and a lookup as two exchanges (A, AAAA) at once. */
abstract class AbstractWireResolver implements WireResolver {
    final ResolverUrl url;
    final Endpoint endpoint;
    final Resolvers.Setup setup;

    AbstractWireResolver(ResolverUrl url, InetAddress address, Resolvers.Setup setup) {
        this.url = url.at(address);
        this.endpoint = new Endpoint(address, url.port());
        this.setup = setup;
    }

    @Override
    public ResolverUrl url() {
        return url;
    }

    /** OONI's {@code resolver_address}: {@code ip:port}; DoH's is its URL (overridden). */
    @Override
    public String address() {
        return endpoint.toString();
    }

    @Override
    public Traced trace(String host, StepContext context) {
        CompletableFuture<DnsExchange> a = CompletableFuture.supplyAsync(() -> ask(host, Type.A, context), setup.executor());
        CompletableFuture<DnsExchange> aaaa = CompletableFuture.supplyAsync(() -> ask(host, Type.AAAA, context), setup.executor());
        DnsExchange ea = a.join(), eaaaa = aaaa.join();
        DnsQuery qa = DnsRecords.record(engine(), address(), host, Type.A, ea);
        DnsQuery qaaaa = DnsRecords.record(engine(), address(), host, Type.AAAA, eaaaa);
        String failure = UdpResolver.failure(qa, qaaaa);
        return new Traced(new Lookup(List.of(qa, qaaaa), List.of(), failure), ea.transcript().plus(eaaaa.transcript()),
                failedOperation(failure, qa, ea, qaaaa, eaaaa), ea.answered() || eaaaa.answered());
    }

    /** Where the lookup's failure happened: in the exchange whose query carries it. */
    static Operation failedOperation(String failure, DnsQuery qa, DnsExchange ea, DnsQuery qaaaa, DnsExchange eaaaa) {
        if (failure == null) return null;
        DnsExchange e = failure.equals(qa.failure()) ? ea : failure.equals(qaaaa.failure()) ? eaaaa : ea;
        return e.answered() ? Operation.RESOLVE : e.failedOperation();
    }

    /** One query for {@code host} of {@code type}; a name that is not one fails as its own step. */
    DnsExchange ask(String host, int type, StepContext context) {
        Message query;
        try {
            query = DnsRecords.query(host, type);
        } catch (TextParseException e) {
            Scope step = context.open(StepKind.DNS, host);
            String failure = Failure.unknown("invalid host name: " + e.getMessage());
            step.fail(failure);
            return new DnsExchange(null, failure, Operation.RESOLVE, step.t0(), step.t(), step.tx(), Transcript.EMPTY);
        }
        return exchange(query, context);
    }

    /** The question's name, as a step's subject. */
    static String subject(Message query) {
        return query.getQuestion() == null ? "" : query.getQuestion().getName().toString(true);
    }
}
