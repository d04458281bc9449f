package org.blockwatch.agent.store;

import org.blockwatch.core.archival.HttpTransaction;
import org.blockwatch.core.archival.TlsHandshake;
import org.blockwatch.core.measurement.Measurement;

/**
 * How fast a target answered in one measurement: its last successful TLS handshake, and how fast
 * its page arrived. Either is null when the measurement cannot tell (no handshake succeeded; no
 * body worth timing). Throttling shows in both before a single measurement can prove it.
 */
public record Speed(Double tlsHandshakeSeconds, Double transferBytesPerSecond) {
    /** A body smaller than this is not timed: a few bytes in no time say nothing about a rate. */
    public static final long MIN_TIMED_BODY = 8 * 1024;
    /** How many speeds of each target are kept to compare with (a day of hourly sweeps). */
    public static final int HISTORY = 24;
    public static final Speed UNKNOWN = new Speed(null, null);

    public static Speed of(Measurement m) {
        Double handshake = null;
        for (TlsHandshake h : m.observation().tlsHandshakes()) {
            if (h.failure() == null) handshake = h.t() - h.t0();
        }
        Double rate = null;
        HttpTransaction page = m.observation().finalRequest();
        Double body = page == null || page.response() == null ? null : page.timings().get("body");
        if (body != null && body > 0 && page.response().body().length() >= MIN_TIMED_BODY) rate = page.response().body().length() / body;
        return new Speed(handshake, rate);
    }

    public boolean known() {
        return tlsHandshakeSeconds != null || transferBytesPerSecond != null;
    }
}
