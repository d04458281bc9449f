package org.blockwatch.core.tls;

import java.io.IOException;
import java.net.Socket;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.blockwatch.core.archival.TlsHandshake;
import org.blockwatch.core.ip.Endpoint;
import org.blockwatch.core.ip.IpLiteral;
import org.blockwatch.core.step.Scope;
import org.blockwatch.core.step.Step;
import org.blockwatch.core.step.StepContext;
import org.blockwatch.core.step.StepKind;
import org.blockwatch.core.step.Trace;

/**
 * The TLS step: a handshake over an already connected socket, with the URL's host as SNI,
 * recorded: the chain as sent, the anchor when it validated, version, cipher, ALPN and the failure.
 */
public final class TlsHandshaker implements Step<TlsHandshaker.Input, TlsHandshake> {
    private final TlsClient client;

    public TlsHandshaker(TlsClient client) {
        this.client = client;
    }

    /**
     * A handshake on {@code connected} (a connection to {@code destination}), which the step closes.
     * {@code host} is ASCII; an IP host sends no SNI.
     */
    public record Input(Socket connected, Endpoint destination, String host) {}

    @Override
    public TlsHandshake run(Input in, StepContext context) {
        String host = in.host();
        boolean sendSni = IpLiteral.parse(host).isEmpty();
        Opened opened = open(client, in.connected(), in.destination(), sendSni ? host : null, host, TlsClient.ALPN, context);
        if (opened.socket() != null) {
            try {
                opened.socket().close();
            } catch (IOException ignored) {
                // the handshake is what was measured
            }
        }
        return opened.record();
    }

    /** A handshake's record, and the open session when it succeeded (the caller closes it). */
    public record Opened(TlsHandshake record, SSLSocket socket) {}

    /**
     * A handshake on {@code connected} that leaves the session open for what follows (DoT, DoH).
     * {@code serverName} is sent as SNI when not null; {@code verifyAs} is what the certificate must
     * be valid for (a name or an address), or null to record the chain and accept it (a
     * comparison's handshake, whose session carries nothing). A fresh context, the chain as sent.
     */
    public static Opened open(TlsClient tls, Socket connected, Endpoint destination, String serverName, String verifyAs, String[] alpn,
            StepContext context) {
        String address = destination.toString();
        Scope step = context.open(StepKind.TLS_HANDSHAKE, address);
        RecordingTrustManager trust = verifyAs == null ? tls.recordingOnly() : tls.trustManagerFor(verifyAs);
        String sni = serverName == null ? "" : serverName;
        SSLSocket ssl = null;
        try {
            ssl = (SSLSocket) TlsClient.freshContext(trust).getSocketFactory()
                    .createSocket(connected, serverName == null ? destination.ip().getHostAddress() : serverName, destination.port(), true);
            SSLParameters params = ssl.getSSLParameters();
            params.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
            params.setApplicationProtocols(alpn);
            params.setEndpointIdentificationAlgorithm(null); // the trust manager checks the name itself
            ssl.setSSLParameters(params);
            ssl.setSoTimeout(Trace.millis(context.timeout()));
            ssl.startHandshake();
            step.succeed();
            SSLSession session = ssl.getSession();
            String negotiated = ssl.getApplicationProtocol();
            return new Opened(new TlsHandshake("tcp", address, sni, List.of(alpn), session.getProtocol(), session.getCipherSuite(),
                    negotiated == null ? "" : negotiated, false, trust.chain(), trust.anchor(), null, step.t0(), step.t(), step.tx()), ssl);
        } catch (IOException | RuntimeException e) {
            String failure = step.fail(e);
            if (ssl != null) {
                try {
                    ssl.close();
                } catch (IOException ignored) {
                    // already failed
                }
            }
            return new Opened(new TlsHandshake("tcp", address, sni, List.of(alpn), "", "", "", false, trust.chain(), null, failure,
                    step.t0(), step.t(), step.tx()), null);
        }
    }
}
