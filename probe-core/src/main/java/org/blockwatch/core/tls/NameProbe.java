package org.blockwatch.core.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.blockwatch.core.archival.SniProbe;
import org.blockwatch.core.ip.Endpoint;
import org.blockwatch.core.ip.IpLiteral;
import org.blockwatch.core.step.Scope;
import org.blockwatch.core.step.Step;
import org.blockwatch.core.step.StepContext;
import org.blockwatch.core.step.StepKind;
import org.blockwatch.core.step.Trace;

/**
 * A timing probe over an open connection: a TLS handshake under {@code serverName} (an IP literal
 * sends none), then a GET of the site's page with the site's own Host header, read for at most
 * {@code maxBytes} or {@code budget}. The certificate is recorded and not required to fit: only the
 * times matter, and nothing read is kept. HTTP/1.1 by hand, so the name on the wire is exactly the
 * one chosen.
 */
public final class NameProbe implements Step<NameProbe.Input, SniProbe> {
    private final TlsClient client;

    public NameProbe(TlsClient client) {
        this.client = client;
    }

    /** The probe's connection (closed by the step), names, page and limits. */
    public record Input(Socket connected, Endpoint destination, String serverName, String host, String path, long maxBytes, Duration budget) {}

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
        try (SSLSocket ssl = (SSLSocket) TlsClient.freshContext(client.recordingOnly()).getSocketFactory()
                .createSocket(in.connected(), in.serverName(), in.destination().port(), true)) {
            SSLParameters params = ssl.getSSLParameters();
            params.setServerNames(sendSni ? List.of(new SNIHostName(in.serverName())) : List.of());
            params.setApplicationProtocols(new String[] {"http/1.1"});
            params.setEndpointIdentificationAlgorithm(null);
            ssl.setSSLParameters(params);
            Duration budget = in.budget().compareTo(context.timeout()) < 0 ? in.budget() : context.timeout();
            ssl.setSoTimeout(Trace.millis(context.timeout()));
            ssl.startHandshake();
            handshake = step.now() - step.t0();
            step.succeed();
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
        return new SniProbe(sendSni ? in.serverName() : "", address, round(handshake), bytes, round(bodySeconds), failure, step.t0(), t, step.tx());
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1_000_000) / 1_000_000.0;
    }
}
