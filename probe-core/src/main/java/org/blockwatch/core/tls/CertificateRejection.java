package org.blockwatch.core.tls;

import java.security.cert.CertificateException;
import org.blockwatch.core.failure.ClassifiedException;

/**
 * Thrown by {@link RecordingTrustManager} with the failure string already decided, so the
 * classifier finds it in the {@code SSLHandshakeException}'s cause chain.
 */
final class CertificateRejection extends CertificateException implements ClassifiedException {
    private final String failure;

    CertificateRejection(String failure, String message, Throwable cause) {
        super(failure + ": " + message, cause);
        this.failure = failure;
    }

    @Override
    public String failure() {
        return failure;
    }
}
