package org.blockwatch.core.dns;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import org.blockwatch.core.failure.FailureClassifier;
import org.blockwatch.core.failure.Operation;
import org.blockwatch.core.step.Scope;
import org.blockwatch.core.step.StepContext;
import org.blockwatch.core.step.StepKind;
import org.blockwatch.core.tcp.TcpConnector;
import org.xbill.DNS.Message;

/**
 * A resolver over a connection of its own for each query (as OONI's dnscheck does): the connect
 * step ({@link TcpConnector}, the setup's sockets), then what the protocol does on it
 * ({@link #talk}). Closing the connection after each query costs a handshake per query and keeps
 * each query's records its own.
 */
abstract class ConnectedResolver extends AbstractWireResolver {
    /** The largest response read: a DNS message over TCP cannot be larger. */
    static final int MAX_MESSAGE = 65_535;

    ConnectedResolver(ResolverUrl url, InetAddress address, Resolvers.Setup setup) {
        super(url, address, setup);
    }

    /** A failure after the connect, and the operation it broke. */
    static final class Broken extends Exception {
        final String failure;
        final Operation operation;

        Broken(String failure, Operation operation) {
            super(failure, null, false, false);
            this.failure = failure;
            this.operation = operation;
        }
    }

    @Override
    public DnsExchange exchange(Message query, StepContext context) {
        Scope step = context.open(StepKind.DNS, subject(query));
        WireRecorder recorder = new WireRecorder(context.trace(), step.tx());
        try (TcpConnector.Connection c = new TcpConnector(setup.sockets()).run(endpoint, context)) {
            recorder.connected(c.record());
            if (!c.connected()) return failed(step, c.record().failure(), Operation.CONNECT, recorder);
            Message response = talk(c.socket(), query, recorder, context);
            step.end(DnsRecords.failureOf(response, query.getQuestion().getType()), step.now());
            return new DnsExchange(response, null, null, step.t0(), step.t(), step.tx(), recorder.transcript());
        } catch (Broken b) {
            return failed(step, b.failure, b.operation, recorder);
        }
    }

    private static DnsExchange failed(Scope step, String failure, Operation operation, WireRecorder recorder) {
        step.fail(failure);
        return new DnsExchange(null, failure, operation, step.t0(), step.t(), step.tx(), recorder.transcript());
    }

    /** Sends {@code query} on the connected socket and reads its response. */
    abstract Message talk(Socket connected, Message query, WireRecorder recorder, StepContext context) throws Broken;

    /** RFC 1035 4.2.2 (and RFC 7858 over TLS): the message behind its two-byte length, then the response so framed. */
    static Message framedExchange(InputStream in, OutputStream out, Message query, WireRecorder recorder) throws Broken {
        byte[] wire = query.toWire();
        try {
            byte[] framed = new byte[wire.length + 2];
            framed[0] = (byte) (wire.length >>> 8);
            framed[1] = (byte) wire.length;
            System.arraycopy(wire, 0, framed, 2, wire.length);
            out.write(framed);
            out.flush();
            recorder.wrote(framed.length);
        } catch (IOException e) {
            throw broken("write", e, recorder);
        }
        byte[] response;
        try {
            DataInputStream data = new DataInputStream(in);
            int length = data.readUnsignedShort();
            response = new byte[length];
            data.readFully(response);
            recorder.read(length + 2);
        } catch (IOException e) {
            throw broken("read", e, recorder);
        }
        try {
            return DnsRecords.response(query, response);
        } catch (IOException e) {
            throw new Broken(FailureClassifier.classify(e), Operation.RESOLVE);
        }
    }

    /** Closes a session whose exchange is over; a failing close changes nothing measured. */
    static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // the response, or the failure, is already in hand
        }
    }

    static Broken broken(String operation, IOException e, WireRecorder recorder) {
        String failure = FailureClassifier.classify(e);
        recorder.failed(operation, failure);
        return new Broken(failure, Operation.RESOLVE);
    }

    /**
     * The TLS handshake of DoT and DoH on {@code connected}: SNI the resolver's name (none for an
     * address, whose certificate must then name it), recorded; the open session, or Broken.
     */
    final javax.net.ssl.SSLSocket secured(Socket connected, String[] alpn, WireRecorder recorder, StepContext context) throws Broken {
        String name = url.serverName();
        org.blockwatch.core.tls.TlsHandshaker.Opened tls = org.blockwatch.core.tls.TlsHandshaker.open(setup.tls(), connected, endpoint, name,
                name != null ? name : endpoint.ip().getHostAddress(), alpn, context);
        recorder.handshake(tls.record());
        if (tls.socket() == null) throw new Broken(tls.record().failure(), Operation.TLS_HANDSHAKE);
        return tls.socket();
    }
}
