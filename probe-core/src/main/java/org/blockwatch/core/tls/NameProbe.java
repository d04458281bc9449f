package org.blockwatch.core.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import org.blockwatch.core.archival.SniProbe;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.ip.Endpoint;
import org.blockwatch.core.ip.IpLiteral;
import org.blockwatch.core.step.Scope;
import org.blockwatch.core.step.Step;
import org.blockwatch.core.step.StepContext;
import org.blockwatch.core.step.StepKind;
import org.blockwatch.core.step.Trace;

/**
 * A probe of one server name over an open connection: a TLS handshake under {@code serverName}
 * (an IP literal sends none), then, for a timing probe, a GET of the site's page with the site's
 * own Host header, read for at most {@code maxBytes} or {@code budget}; a handshake-only probe
 * stops after the handshake, which itself takes at most {@code budget}. Any chain is accepted, so
 * that the handshake goes as far as the server lets it and nothing read is trusted; the chain is
 * judged once the handshake is over (outside the handshake's time), against the probe's roots
 * for the name sent, and summarised: how it fares, its leaf's fingerprint, the root it claims.
 * HTTP/1.1 by hand, so the name on the wire is exactly the one chosen.
 */
public final class NameProbe implements Step<NameProbe.Input, SniProbe> {
    private final TlsClient client;

    public NameProbe(TlsClient client) {
        this.client = client;
    }

    /**
     * The probe's connection (closed by the step), names, page and limits. A null {@code path}
     * asks for the handshake alone ({@link #handshakeOnly}).
     */
    public record Input(Socket connected, Endpoint destination, String serverName, String host, String path, long maxBytes, Duration budget) {
        /** A handshake under {@code serverName} and nothing more, within {@code budget}: the follow-up after a failed handshake. */
        public static Input handshakeOnly(Socket connected, Endpoint destination, String serverName, Duration budget) {
            return new Input(connected, destination, serverName, null, null, 0, budget);
        }

        boolean fetches() {
            return path != null;
        }
    }

    @Override
    public SniProbe run(Input in, StepContext context) {
        String address = in.destination().toString();
        boolean sendSni = IpLiteral.parse(in.serverName()).isEmpty();
        Scope step = context.open(StepKind.TLS_HANDSHAKE, address);
        double handshake = -1;
        long bytes = 0;
        double sent = -1;
        double last = -1;
        double stopped = -1;
        String failure = null;
        KeepingTrustManager kept = new KeepingTrustManager();
        try (SSLSocket ssl = (SSLSocket) TlsClient.freshContext(kept).getSocketFactory()
                .createSocket(in.connected(), in.serverName(), in.destination().port(), true)) {
            SSLParameters params = ssl.getSSLParameters();
            params.setServerNames(sendSni ? List.of(new SNIHostName(in.serverName())) : List.of());
            // A fetch speaks HTTP/1.1 by hand; a handshake alone offers what the site's own handshake offered.
            params.setApplicationProtocols(in.fetches() ? new String[] {"http/1.1"} : TlsClient.ALPN);
            params.setEndpointIdentificationAlgorithm(null);
            ssl.setSSLParameters(params);
            Duration budget = in.budget().compareTo(context.timeout()) < 0 ? in.budget() : context.timeout();
            // A timing probe lets its handshake take the step's time (a throttled one is measured,
            // not cut); a handshake-only probe has only its budget: a stall proves itself by then.
            ssl.setSoTimeout(Trace.millis(in.fetches() ? context.timeout() : budget));
            ssl.startHandshake();
            handshake = step.now() - step.t0();
            step.succeed();
            if (!in.fetches()) {
                double t = step.now();
                return record(in, sendSni, address, handshake, 0, 0, null, step.t0(), t, step.tx(), kept);
            }
            OutputStream out = ssl.getOutputStream();
            out.write(("GET " + in.path() + " HTTP/1.1\r\nHost: " + in.host() + "\r\nUser-Agent: Mozilla/5.0\r\nAccept: */*\r\n"
                    + "Accept-Encoding: identity\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            sent = step.now();
            long deadline = System.nanoTime() + budget.toNanos();
            InputStream body = ssl.getInputStream();
            byte[] buffer = new byte[8192];
            while (bytes < in.maxBytes()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) break; // the probe's own budget: enough to know the rate
                ssl.setSoTimeout(Trace.millis(Duration.ofNanos(left)));
                int n;
                try {
                    n = body.read(buffer, 0, (int) Math.min(buffer.length, in.maxBytes() - bytes));
                } catch (java.net.SocketTimeoutException e) {
                    break; // the budget ran out mid-read: the rate so far is the answer
                }
                if (n < 0) break;
                bytes += n;
                last = step.now();
            }
            stopped = step.now(); // before the close, which a shaped line may hold up too
        } catch (IOException | RuntimeException e) {
            failure = step.fail(e);
            if (handshake < 0) handshake = step.t() - step.t0();
        }
        double t = step.now();
        double end = stopped >= 0 ? stopped : t;
        double bodySeconds = sent < 0 ? 0 : (last > sent ? last : end) - sent;
        return record(in, sendSni, address, handshake, bytes, bodySeconds, failure, step.t0(), t, step.tx(), kept);
    }

    private SniProbe record(Input in, boolean sendSni, String address, double handshake, long bytes, double bodySeconds, String failure,
            double t0, double t, long tx, KeepingTrustManager kept) {
        X509Certificate[] chain = kept.chain;
        String leaf = "";
        String issuer = "";
        String certificateFailure = null;
        if (chain.length > 0) {
            leaf = sha256(chain[0]);
            issuer = chain[chain.length - 1].getIssuerX500Principal().getName();
            certificateFailure = judge(chain, kept.authType, in.serverName());
        }
        return new SniProbe(sendSni ? in.serverName() : "", address, round(handshake), bytes, round(bodySeconds), failure, t0, t, tx,
                in.fetches() ? SniProbe.THROTTLING : SniProbe.TLS_FAILURE, certificateFailure, leaf, issuer);
    }

    /** How the site's own handshake would have judged {@code chain} for {@code name} (an IP literal for none): null when it fits. */
    private String judge(X509Certificate[] chain, String authType, String name) {
        try {
            client.trustManagerFor(name).checkServerTrusted(chain, authType);
            return null;
        } catch (CertificateRejection e) {
            return e.failure();
        } catch (CertificateException | RuntimeException e) {
            return Failure.SSL_INVALID_CERTIFICATE;
        }
    }

    private static String sha256(X509Certificate c) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            return "";
        }
    }

    /**
     * Accepts whatever chain the server sends and keeps it, with the key exchange's auth type, to
     * be judged after the handshake. One instance per probe; the handshake thread writes before
     * the handshake completes, the probe reads after.
     */
    private static final class KeepingTrustManager extends ProbeTrustManager {
        private volatile X509Certificate[] chain = new X509Certificate[0];
        private volatile String authType = "UNKNOWN";

        private void keep(X509Certificate[] sent, String type) {
            chain = sent == null ? new X509Certificate[0] : sent.clone();
            authType = type == null ? "UNKNOWN" : type;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] sent, String type, Socket socket) {
            keep(sent, type);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] sent, String type, SSLEngine engine) {
            keep(sent, type);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] sent, String type) {
            keep(sent, type);
        }




        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1_000_000) / 1_000_000.0;
    }
}
