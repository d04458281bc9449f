package org.blockwatch.core.tls;

import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * Makes the TLS context for one handshake. A fresh {@link SSLContext} each time means a fresh
 * session cache: a resumed session would carry no certificate chain to record.
 */
public final class TlsClient {
    /** What a browser offers. */
    public static final String[] ALPN = {"h2", "http/1.1"};
    private final TrustRoots roots;

    public TlsClient(TrustRoots roots) {
        this.roots = roots;
    }

    /** A context whose only trust manager is {@code trust}. */
    public static SSLContext freshContext(TrustManager trust) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK offers no TLS", e);
        }
    }

    public RecordingTrustManager trustManagerFor(String host) {
        return new RecordingTrustManager(roots, host);
    }

    /** A trust manager that records the chain and accepts it: for timing probes whose data nobody reads. */
    public RecordingTrustManager recordingOnly() {
        return new RecordingTrustManager(roots, null);
    }
}
