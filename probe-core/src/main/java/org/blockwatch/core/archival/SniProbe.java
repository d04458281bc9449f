package org.blockwatch.core.archival;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One fetch of the follow-up that tells throttling by name from a slow line: the same address and
 * page under another server name (a random one of the same TLD, none, or the site's own again),
 * the certificate recorded but not required to fit. Times in seconds since the measurement began.
 *
 * @param serverName the SNI sent ("" for none)
 * @param handshakeSeconds how long the TLS handshake took (until its failure, when it failed)
 * @param bodyBytes bytes of the response read, headers included, within the probe's budget
 * @param bodySeconds from the request sent to the last byte read
 * @param failure the first failure (of the connect, the handshake or the read); a read stopped by
 *     the probe's own budget is not a failure
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
        long transactionId) {

    /** Bytes per second of the transfer, or -1 when nothing was timed. */
    @JsonProperty("bytes_per_second")
    public double bytesPerSecond() {
        return bodySeconds > 0 ? bodyBytes / bodySeconds : -1;
    }
}
