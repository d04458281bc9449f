package org.blockwatch.core.nettest;

/**
 * How fast the thing measured answered in one measurement: its last successful TLS handshake, and
 * how fast its content arrived. Either is null when the measurement cannot tell (no handshake, no
 * body worth timing). Throttling shows in both before a single measurement can prove it.
 */
public record Speed(Double tlsHandshakeSeconds, Double transferBytesPerSecond) {
    /** A body smaller than this is not timed: a few bytes in no time say nothing about a rate. */
    public static final long MIN_TIMED_BODY = 8 * 1024;
    /** How many speeds of each target are kept to compare with (a day of hourly sweeps). */
    public static final int HISTORY = 24;
    public static final Speed UNKNOWN = new Speed(null, null);

    public boolean known() {
        return tlsHandshakeSeconds != null || transferBytesPerSecond != null;
    }
}
