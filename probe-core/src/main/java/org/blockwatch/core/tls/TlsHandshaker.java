package org.blockwatch.core.tls;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.blockwatch.core.archival.TlsHandshake;
import org.blockwatch.core.ip.Endpoint;
import org.blockwatch.core.ip.IpLiteral;
import org.blockwatch.core.failure.FailureClassifier;
import org.blockwatch.core.trace.Trace;

/**
 * A TLS handshake over an already connected socket, with the URL's host as SNI, recorded:
 * the chain as sent, the anchor when it validated, version, cipher, ALPN and the failure kind.
 */
public final class TlsHandshaker {
    private final TlsClient client;

    public TlsHandshaker(TlsClient client) {
        this.client = client;
    }

    /**
     * Handshakes on {@code connected} (a connection to {@code destination}) and closes it.
     * {@code host} is ASCII; an IP host sends no SNI.
     */
    public TlsHandshake handshake(Socket connected, InetSocketAddress destination, String host, Duration timeout, Trace trace) {
        String address = Endpoint.of(destination).toString();
        long tx = trace.nextTransactionId();
        double t0 = trace.now();
        RecordingTrustManager trust = client.trustManagerFor(host);
        boolean sendSni = IpLiteral.parse(host).isEmpty();
        try (SSLSocket ssl = (SSLSocket) TlsClient.freshContext(trust).getSocketFactory()
                .createSocket(connected, host, destination.getPort(), true)) {
            SSLParameters params = ssl.getSSLParameters();
            params.setServerNames(sendSni ? List.of(new SNIHostName(host)) : List.of());
            params.setApplicationProtocols(TlsClient.ALPN);
            params.setEndpointIdentificationAlgorithm(null); // the trust manager checks the name itself
            ssl.setSSLParameters(params);
            ssl.setSoTimeout(Trace.millis(timeout));
            ssl.startHandshake();
            SSLSession session = ssl.getSession();
            String alpn = ssl.getApplicationProtocol();
            return new TlsHandshake("tcp", address, sendSni ? host : "", List.of(TlsClient.ALPN),
                    session.getProtocol(), session.getCipherSuite(), alpn == null ? "" : alpn, false,
                    trust.chain(), trust.anchor(), null, t0, trace.now(), tx);
        } catch (IOException | RuntimeException e) {
            return new TlsHandshake("tcp", address, sendSni ? host : "", List.of(TlsClient.ALPN),
                    "", "", "", false, trust.chain(), null, FailureClassifier.classify(e), t0, trace.now(), tx);
        }
    }

}
