package org.blockwatch.core.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocket;
import org.blockwatch.core.failure.Operation;
import org.blockwatch.core.step.StepContext;
import org.xbill.DNS.Message;

/**
 * DNS over TLS ({@code dot://HOST:853}, RFC 7858): each query a connect, a TLS handshake and one
 * length-prefixed message each way. The SNI is the resolver's name (the URL's host, or its
 * {@code tls_server_name}), and the certificate must be valid for it; a resolver given by address
 * alone sends no SNI and its certificate must be valid for the address. No ALPN is offered (RFC
 * 7858 defines none). Recorded as OONI's {@code engine} {@code dot}, with {@code tcp_connect},
 * {@code tls_handshakes} (the chain as sent) and {@code network_events}. Thread-safe.
 */
public final class DotResolver extends ConnectedResolver {
    private static final String[] NO_ALPN = {};

    /** Build it with {@link Resolvers#at}. */
    DotResolver(ResolverUrl url, InetAddress address, Resolvers.Setup setup) {
        super(url, address, setup);
        if (url.protocol() != ResolverUrl.Protocol.DOT) throw new IllegalArgumentException("not a dot:// resolver: " + url);
    }

    @Override
    Message talk(Socket connected, Message query, WireRecorder recorder, StepContext context) throws Broken {
        SSLSocket ssl = secured(connected, NO_ALPN, recorder, context);
        try {
            return framedExchange(ssl.getInputStream(), ssl.getOutputStream(), query, recorder);
        } catch (IOException e) {
            throw new Broken(org.blockwatch.core.failure.FailureClassifier.classify(e), Operation.RESOLVE);
        } finally {
            closeQuietly(ssl);
        }
    }
}
