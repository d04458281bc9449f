package org.blockwatch.core.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import org.blockwatch.core.failure.Operation;
import org.blockwatch.core.step.StepContext;
import org.blockwatch.core.step.Trace;
import org.xbill.DNS.Message;

/**
 * Do53 over TCP ({@code tcp://IP:53}, RFC 1035 4.2.2, RFC 7766): each query a connect and one
 * length-prefixed message each way, recorded as OONI's {@code engine} {@code tcp}, with the
 * connect in {@code tcp_connect} and the reads and writes in {@code network_events}. Thread-safe.
 */
public final class TcpResolver extends ConnectedResolver {
    /** Build it with {@link Resolvers#at}. */
    TcpResolver(ResolverUrl url, InetAddress address, Resolvers.Setup setup) {
        super(url, address, setup);
        if (url.protocol() != ResolverUrl.Protocol.TCP) throw new IllegalArgumentException("not a tcp:// resolver: " + url);
    }

    @Override
    Message talk(Socket connected, Message query, WireRecorder recorder, StepContext context) throws Broken {
        try {
            connected.setSoTimeout(Trace.millis(context.timeout()));
            return framedExchange(connected.getInputStream(), connected.getOutputStream(), query, recorder);
        } catch (IOException e) {
            throw new Broken(org.blockwatch.core.failure.FailureClassifier.classify(e), Operation.RESOLVE);
        }
    }
}
