package org.blockwatch.core.tls;

import java.net.Socket;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.PKIXReason;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.blockwatch.core.archival.PeerCertificate;
import org.blockwatch.core.archival.TrustAnchor;
import org.blockwatch.core.failure.Failure;

/**
 * Records the server's chain exactly as sent (before any validation, so a rejected chain is kept)
 * and then validates it: PKIX against {@link TrustRoots}, then the host name. Rejections carry
 * their failure string. OkHttp's {@code Handshake.peerCertificates()} is a cleaned chain, which is
 * why the chain is taken here.
 *
 * <p>One instance per handshake: it holds that handshake's chain and anchor. The handshake
 * thread writes them before the handshake completes; readers read after it.
 */
public final class RecordingTrustManager extends ProbeTrustManager {
    private final TrustRoots roots;
    private final String expectedHost; // null: record only, accept any chain
    private volatile List<PeerCertificate> chain = List.of();
    private volatile TrustAnchor anchor;

    /** @param expectedHost the ASCII host the certificate must be valid for; null records the chain and accepts it */
    public RecordingTrustManager(TrustRoots roots, String expectedHost) {
        this.roots = roots;
        this.expectedHost = expectedHost;
    }

    public List<PeerCertificate> chain() {
        return chain;
    }

    /** The root of a chain that validated, or null. */
    public TrustAnchor anchor() {
        return anchor;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, authType);
    }

    private void check(X509Certificate[] sent, String authType) throws CertificateException {
        List<PeerCertificate> recorded = new ArrayList<>(sent.length);
        for (X509Certificate c : sent) {
            try {
                recorded.add(PeerCertificate.of(c.getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new CertificateRejection(Failure.SSL_INVALID_CERTIFICATE, "unencodable certificate", e);
            }
        }
        this.chain = List.copyOf(recorded);
        if (expectedHost == null) return; // a measurement of timing only: nothing is trusted with what arrives
        if (sent.length == 0) throw new CertificateRejection(Failure.SSL_INVALID_CERTIFICATE, "empty chain", null);
        try {
            roots.pkix().checkServerTrusted(sent, authType);
        } catch (CertificateException e) {
            throw new CertificateRejection(classify(e), String.valueOf(e.getMessage()), e);
        }
        this.anchor = roots.anchorOf(sent);
        if (!HostnameMatcher.matches(sent[0], expectedHost)) {
            throw new CertificateRejection(Failure.SSL_INVALID_HOSTNAME, "certificate is not valid for " + expectedHost, null);
        }
    }

    /**
     * No path to a root is an unknown authority, even when a certificate is also expired: who
     * signed the chain is the stronger evidence. A path to a root that fails on dates is an
     * invalid certificate; any other rejection too.
     */
    static String classify(CertificateException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertPathValidatorException v && v.getReason() == PKIXReason.NO_TRUST_ANCHOR) {
                return Failure.SSL_UNKNOWN_AUTHORITY;
            }
            if (t instanceof CertPathBuilderException) return Failure.SSL_UNKNOWN_AUTHORITY;
        }
        // Expired, not yet valid, a bad signature, a constraint broken.
        return Failure.SSL_INVALID_CERTIFICATE;
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return roots.pkix().getAcceptedIssuers();
    }
}
