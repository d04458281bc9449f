package org.blockwatch.core.verdict;

import org.blockwatch.core.archival.HttpTransaction;
import org.blockwatch.core.archival.TlsHandshake;
import org.blockwatch.core.archival.WebObservation;

/**
 * What in one measurement points to throttling: a TLS handshake that took seconds (Kazakhstan's
 * SNI throttling of azattyq.org: over 4 s), or a body arriving at a trickle (Russia's throttling
 * of Twitter: 130-150 kbit/s). One measurement cannot prove it, since a slow home link looks the
 * same, so it is a flag on the verdict, not a status; the agent's metrics carry the handshake time
 * for comparison over time and against the baseline targets.
 */
final class Throttling {
    static final double SLOW_HANDSHAKE_SECONDS = 3.0;
    static final long MIN_BODY_BYTES = 32 * 1024;
    static final double SLOW_BYTES_PER_SECOND = 32 * 1024;

    private Throttling() {}

    /** A short description of the slowness, or null when nothing was slow. */
    static String evidence(WebObservation o) {
        for (TlsHandshake h : o.tlsHandshakes()) {
            double seconds = h.t() - h.t0();
            if (h.failure() == null && seconds >= SLOW_HANDSHAKE_SECONDS) return String.format("TLS handshake %.1f s", seconds);
        }
        for (HttpTransaction t : o.requests()) {
            Double body = t.timings().get("body");
            if (t.response() == null || body == null || body <= 0) continue;
            long bytes = t.response().body().length();
            if (bytes >= MIN_BODY_BYTES && bytes / body < SLOW_BYTES_PER_SECOND) {
                return String.format("%d KiB in %.1f s, %.0f kbit/s", bytes / 1024, body, bytes * 8 / body / 1000);
            }
        }
        return null;
    }
}
