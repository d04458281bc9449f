package org.blockwatch.agent.units;

import java.time.Duration;

/** How a person reads durations and sizes everywhere blockwatch writes them: {@code 1h30m}, {@code 64KiB}; never {@code PT1H}. */
public final class Units {
    private Units() {}

    /** {@code 1h30m}, {@code 10s}, {@code 250ms}, {@code 0s}. */
    public static String duration(Duration d) {
        if (d.isZero()) return "0s";
        StringBuilder out = new StringBuilder();
        long ms = d.toMillis();
        long[] units = {86_400_000L, 3_600_000L, 60_000L, 1000L, 1L};
        String[] names = {"d", "h", "m", "s", "ms"};
        for (int i = 0; i < units.length; i++) {
            if (ms >= units[i]) {
                out.append(ms / units[i]).append(names[i]);
                ms %= units[i];
            }
        }
        return out.toString();
    }

    /** {@code 64KiB}, {@code 200MB}, {@code 123B}: the largest unit that divides the value. */
    public static String size(long bytes) {
        if (bytes == Long.MAX_VALUE) return "unlimited";
        String[] binary = {"GiB", "MiB", "KiB"};
        String[] decimal = {"GB", "MB", "KB"};
        for (int i = 0; i < 3; i++) {
            long b = 1L << (10 * (3 - i));
            long d = (long) Math.pow(1000, 3 - i);
            if (bytes != 0 && bytes % b == 0) return bytes / b + binary[i];
            if (bytes != 0 && bytes % d == 0) return bytes / d + decimal[i];
        }
        return bytes + "B";
    }
}
