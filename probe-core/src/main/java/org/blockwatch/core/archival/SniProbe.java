package org.blockwatch.core.archival;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One handshake (and, after a slow exchange, one fetch) of the engine's follow-ups that compare
 * server names on one address: the same address under another server name (a random one of the
 * same TLD, none, or the site's own again), the certificate recorded and judged but not required
 * to fit. Times in seconds since the measurement began. Two follow-ups make them, told apart by
 * {@code follow_up}:
 * <ul>
 *   <li>{@value #THROTTLING}: after a slow exchange, each probe fetches the page for a bounded
 *       time, to compare handshake times and transfer rates by name;
 *   <li>{@value #TLS_FAILURE}: after the site's own handshake failed (a reset, an EOF, a stall or
 *       timeout, another handshake failure, or a certificate that does not fit), each probe only
 *       handshakes, on the address whose handshake failed, to tell whether the name is what fails.
 * </ul>
 *
 * @param serverName the SNI sent ("" for none)
 * @param handshakeSeconds how long the TLS handshake took (until its failure, when it failed)
 * @param bodyBytes bytes of the response read, headers included, within the probe's budget (0
 *     when the probe only handshakes)
 * @param bodySeconds from the request sent to the last byte read (0 when the probe only handshakes)
 * @param failure the first failure (of the connect, the handshake or the read); a read stopped by
 *     the probe's own budget is not a failure, and neither is a certificate that does not fit
 *     (that is {@code certificate_failure})
 * @param followUp which follow-up made the probe: {@value #THROTTLING} or {@value #TLS_FAILURE}
 * @param certificateFailure how the chain the server sent fares when validated against the
 *     probe's roots for the name sent (for no name: the address): null when it validates,
 *     {@code ssl_invalid_hostname} for a trusted chain issued for other names (as a random name
 *     always gets from a real server), {@code ssl_unknown_authority} or
 *     {@code ssl_invalid_certificate}; null as well when no chain arrived ({@code leaf_sha256} is "")
 * @param leafSha256 the SHA-256 of the first certificate sent, in lower-case hex; "" when no chain
 *     arrived. Equal fingerprints under two names mean the address answered both with one certificate
 * @param chainIssuer the issuer of the last certificate sent (the root the chain claims, as an
 *     RFC 2253 name); "" when no chain arrived. An interceptor's chains share it whatever the name
 */
public record SniProbe(
        String serverName,
        String address,
        double handshakeSeconds,
        long bodyBytes,
        double bodySeconds,
        String failure,
        double t0,
        double t,
        long transactionId,
        String followUp,
        String certificateFailure,
        String leafSha256,
        String chainIssuer) {

    /** The follow-up after a slow exchange (throttling by name). */
    public static final String THROTTLING = "throttling";
    /** The follow-up after the site's TLS handshake failed (blocking by name, or of the address). */
    public static final String TLS_FAILURE = "tls_failure";

    public SniProbe {
        if (!THROTTLING.equals(followUp) && !TLS_FAILURE.equals(followUp)) {
            throw new IllegalArgumentException("follow_up must be " + THROTTLING + " or " + TLS_FAILURE + ", not " + followUp);
        }
        leafSha256 = leafSha256 == null ? "" : leafSha256;
        chainIssuer = chainIssuer == null ? "" : chainIssuer;
    }

    /** A probe whose connection was not made: no handshake, no chain. */
    public static SniProbe notConnected(String serverName, String address, String failure, double t0, double t, long transactionId,
            String followUp) {
        return new SniProbe(serverName, address, 0, 0, 0, failure, t0, t, transactionId, followUp, null, "", "");
    }

    /** Bytes per second of the transfer, or -1 when nothing was timed. */
    @JsonProperty("bytes_per_second")
    public double bytesPerSecond() {
        return bodySeconds > 0 ? bodyBytes / bodySeconds : -1;
    }

    /** Whether a chain arrived: the server (or whoever answered for it) got as far as its certificate. */
    @JsonIgnore
    public boolean gotChain() {
        return !leafSha256.isEmpty();
    }
}
