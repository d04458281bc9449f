package org.blockwatch.core.dns;

import org.blockwatch.core.failure.Operation;
import org.blockwatch.core.step.StepContext;
import org.xbill.DNS.Message;

/**
 * A resolver asked over the wire at one address ({@link Resolvers#at}): Do53 over UDP or TCP, DNS
 * over TLS, DNS over HTTPS. Besides {@link DnsResolver#lookup} it sends any message
 * ({@link #exchange}: a CHAOS identity query, say) and tells what the transport recorded on the
 * way ({@link #trace}). Each query is a DNS step of its own, with the transport's own steps
 * (connect, handshake, round trip) inside it. Thread-safe.
 */
public interface WireResolver extends DnsResolver {
    /** The resolver as asked: its URL pinned to the address (the server name kept as {@code tls_server_name}). */
    ResolverUrl url();

    /** OONI's {@code engine} of its queries: udp, tcp, dot, doh. */
    default String engine() {
        return url().protocol().engine();
    }

    /** Sends {@code query} and waits for its response, as one DNS step; never throws: a failure is in the exchange. */
    DnsExchange exchange(Message query, StepContext context);

    /** A and AAAA for {@code host}, at once, with everything their transport recorded. */
    Traced trace(String host, StepContext context);

    @Override
    default Lookup lookup(String host, StepContext context) {
        return trace(host, context).lookup();
    }

    /**
     * A lookup and its transport's records. {@code failedOperation} is where the lookup's failure
     * happened ({@code connect}, {@code tls_handshake}; {@code resolve} for the exchange itself or
     * a response that was an error), null when it found addresses; {@code answered}, whether any
     * response of the resolver arrived (an NXDOMAIN is one).
     */
    record Traced(Lookup lookup, Transcript transcript, Operation failedOperation, boolean answered) {}
}
