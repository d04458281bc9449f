package org.blockwatch.core.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class FailureClassifierTest {
    private static <T extends Throwable> T causedBy(T outer, Throwable cause) {
        outer.initCause(cause);
        return outer;
    }

    @Test
    void byTypeFirst() {
        assertThat(FailureClassifier.classify(new SocketTimeoutException("Read timed out"))).isEqualTo(Failure.GENERIC_TIMEOUT);
        assertThat(FailureClassifier.classify(new InterruptedIOException("timeout"))).isEqualTo(Failure.GENERIC_TIMEOUT);
        assertThat(FailureClassifier.classify(new ConnectException("Connection refused"))).isEqualTo(Failure.CONNECTION_REFUSED);
        assertThat(FailureClassifier.classify(new NoRouteToHostException("No route to host"))).isEqualTo(Failure.HOST_UNREACHABLE);
        assertThat(FailureClassifier.classify(new EOFException())).isEqualTo(Failure.EOF);
        assertThat(FailureClassifier.classify(new SSLHandshakeException("Received fatal alert: handshake_failure")))
                .isEqualTo(Failure.SSL_FAILED_HANDSHAKE);
    }

    @Test
    void theCauseChainBeatsTheWrapper() {
        SSLHandshakeException eofInHandshake = causedBy(new SSLHandshakeException("Remote host terminated the handshake"),
                new EOFException("SSL peer shut down incorrectly"));
        assertThat(FailureClassifier.classify(eofInHandshake)).isEqualTo(Failure.EOF);
        IOException resetInHandshake = new IOException("wrapped", causedBy(new SSLHandshakeException("x"), new SocketException("Connection reset")));
        assertThat(FailureClassifier.classify(resetInHandshake)).isEqualTo(Failure.CONNECTION_RESET);
        IOException timeoutUnderSsl = new IOException(causedBy(new SSLHandshakeException("x"), new SocketTimeoutException("Read timed out")));
        assertThat(FailureClassifier.classify(timeoutUnderSsl)).isEqualTo(Failure.GENERIC_TIMEOUT);
    }

    @Test
    void aClassifiedCauseKeepsItsFirstClassification() {
        class Rejected extends Exception implements ClassifiedException {
            @Override
            public String failure() {
                return Failure.SSL_UNKNOWN_AUTHORITY;
            }
        }
        SSLHandshakeException wrapped = causedBy(new SSLHandshakeException("PKIX path building failed"), new Rejected());
        assertThat(FailureClassifier.classify(wrapped)).isEqualTo(Failure.SSL_UNKNOWN_AUTHORITY);
    }

    @Test
    void theKernelsOwnConnectTimeoutIsATimeout() {
        assertThat(FailureClassifier.classify(new ConnectException("Connection timed out"))).isEqualTo(Failure.GENERIC_TIMEOUT);
    }

    @Test
    void unknownFailuresAreScrubbedOfAddresses() {
        String failure = FailureClassifier.classify(new IOException("bind failed from /192.168.1.23:51234 to [2001:db8::5]:443"));
        assertThat(failure).startsWith("unknown_failure: ").doesNotContain("192.168").doesNotContain("2001:db8");
    }

    @Test
    void aSelfReferencingCauseChainEnds() {
        IOException a = new IOException("a");
        IOException b = new IOException("b", a);
        a.initCause(b);
        assertThat(FailureClassifier.classify(b)).startsWith("unknown_failure");
    }

    /** getaddrinfo's errors reach Java as text only: EAI_AGAIN is a failed resolver, anything else a missing name. */
    @Test
    void theSystemResolversErrorsByTheirText() {
        assertThat(FailureClassifier.classify(new java.net.UnknownHostException("site.example: Temporary failure in name resolution")))
                .isEqualTo(Failure.DNS_TEMPORARY_FAILURE);
        assertThat(FailureClassifier.classify(new java.net.UnknownHostException("site.example: Name or service not known")))
                .isEqualTo(Failure.DNS_NXDOMAIN);
    }
}
