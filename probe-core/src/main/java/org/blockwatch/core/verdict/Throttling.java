package org.blockwatch.core.verdict;

import org.blockwatch.core.archival.HttpTransaction;
import org.blockwatch.core.archival.TlsHandshake;
import java.util.List;
import java.util.Locale;
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

    /** A handshake with the site's name is this many times slower than with another name, at least. */
    static final double SNI_RATIO = 4.0;
    static final double MIN_SNI_SLOW_SECONDS = 0.25;
    /** The other names' handshakes count as at least this long, so that a few milliseconds' noise is not a ratio. */
    static final double FLOOR_SECONDS = 0.05;

    /**
     * The comparison that proves throttling by name: the handshake with the site's name on an
     * address took seconds, while the same address answered a random name and no name at once
     * (their server's flight arrived: success, or a certificate that does not fit the name). A
     * slow line slows every name alike. A description with the figures, or null.
     */
    static String byName(WebObservation o) {
        List<TlsHandshake> others = o.sniProbes().stream().filter(TlsHandshake::serverAnswered).toList();
        if (others.isEmpty()) return null;
        for (TlsHandshake h : o.tlsHandshakes()) {
            double seconds = h.t() - h.t0();
            if (h.serverName().isEmpty() || seconds < MIN_SNI_SLOW_SECONDS || !h.serverAnswered()) continue;
            List<TlsHandshake> same = others.stream().filter(p -> p.address().equals(h.address())).toList();
            if (same.isEmpty()) continue;
            double slowestOther = same.stream().mapToDouble(p -> p.t() - p.t0()).max().orElseThrow();
            if (seconds >= SNI_RATIO * Math.max(slowestOther, FLOOR_SECONDS)) {
                return String.format(Locale.ROOT, "the TLS handshake with %s took %.2f s on %s, with another name or none %.2f s", h.serverName(),
                        seconds, h.address(), slowestOther);
            }
        }
        return null;
    }

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
