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
        String address = in.destination().toString();
        String host = in.host();
        Scope step = context.open(StepKind.TLS_HANDSHAKE, address);
        RecordingTrustManager trust = client.trustManagerFor(host);
        boolean sendSni = IpLiteral.parse(host).isEmpty();
        try (SSLSocket ssl = (SSLSocket) TlsClient.freshContext(trust).getSocketFactory()
                .createSocket(in.connected(), host, in.destination().port(), true)) {
            SSLParameters params = ssl.getSSLParameters();
            params.setServerNames(sendSni ? List.of(new SNIHostName(host)) : List.of());
            params.setApplicationProtocols(TlsClient.ALPN);
            params.setEndpointIdentificationAlgorithm(null); // the trust manager checks the name itself
            ssl.setSSLParameters(params);
            ssl.setSoTimeout(Trace.millis(context.timeout()));
            ssl.startHandshake();
            step.succeed();
            SSLSession session = ssl.getSession();
            String alpn = ssl.getApplicationProtocol();
            return new TlsHandshake("tcp", address, sendSni ? host : "", List.of(TlsClient.ALPN),
                    session.getProtocol(), session.getCipherSuite(), alpn == null ? "" : alpn, false,
                    trust.chain(), trust.anchor(), null, step.t0(), step.t(), step.tx());
        } catch (IOException | RuntimeException e) {
            String failure = step.fail(e);
            return new TlsHandshake("tcp", address, sendSni ? host : "", List.of(TlsClient.ALPN),
                    "", "", "", false, trust.chain(), null, failure, step.t0(), step.t(), step.tx());
        }
    }
}
