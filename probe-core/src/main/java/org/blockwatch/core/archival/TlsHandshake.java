package org.blockwatch.core.archival;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.blockwatch.core.failure.Operation;

/**
 * One TLS handshake. {@code peer_certificates} is the chain in the order and form the server
 * sent it, recorded before validation, so a rejected chain is kept too.
 */
public record TlsHandshake(
        String network,
        String address,
        String serverName,
        List<String> alpn,
        String tlsVersion,
        String cipherSuite,
        String negotiatedProtocol,
        boolean noTlsVerify,
        List<PeerCertificate> peerCertificates,
        @JsonProperty("x_trust_anchor") TrustAnchor trustAnchor,
        String failure,
        double t0,
        double t,
        long transactionId) {

    public TlsHandshake {
        alpn = List.copyOf(alpn);
        peerCertificates = List.copyOf(peerCertificates);
    }

    /** OONI's {@code failed_operation}: the operation this record's failure happened in; null when it succeeded. */
    @JsonProperty("failed_operation")
    public Operation failedOperation() {
        return failure == null ? null : Operation.TLS_HANDSHAKE;
    }

    /**
     * Whether the server's answer arrived: the handshake succeeded, or failed on the certificate
     * (a name or an authority that does not fit), not on the network or a refusal.
     */
    public boolean serverAnswered() {
        return failure == null || failure.startsWith("ssl_") && !failure.equals("ssl_failed_handshake");
    }
}
