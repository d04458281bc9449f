package org.blockwatch.core.dns;

import org.blockwatch.core.archival.TcpConnect;
import org.blockwatch.core.archival.TlsHandshake;
import org.blockwatch.core.ip.Endpoint;
import org.blockwatch.core.step.StepContext;
import org.blockwatch.core.tcp.TcpConnector;
import org.blockwatch.core.tls.TlsHandshaker;

/**
 * One more handshake with a resolver's address, under another name or none: when the resolver's
 * own name fails there and this passes, the censor reads the name (SNI), not the address. The
 * chain is recorded and not checked (no query follows), and the session is closed at once.
 */
public final class HandshakeComparison {
    private HandshakeComparison() {}

    /** The connect and, when it worked, the handshake (null otherwise). */
    public record Result(TcpConnect connect, TlsHandshake handshake) {
        /** Whether the handshake completed. */
        public boolean passed() {
            return handshake != null && handshake.failure() == null;
        }
    }

    /** A connect to {@code endpoint} with the setup's sockets and a handshake with {@code serverName} as SNI (null: none). */
    public static Result run(Endpoint endpoint, String serverName, Resolvers.Setup setup, StepContext context) {
        try (TcpConnector.Connection c = new TcpConnector(setup.sockets()).run(endpoint, context)) {
            if (!c.connected()) return new Result(c.record(), null);
            TlsHandshaker.Opened opened = TlsHandshaker.open(setup.tls(), c.socket(), endpoint, serverName, null, new String[] {}, context);
            if (opened.socket() != null) ConnectedResolver.closeQuietly(opened.socket());
            return new Result(c.record(), opened.record());
        }
    }
}
