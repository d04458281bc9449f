package org.blockwatch.core.archival;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** OONI's time format, {@code 2026-12-07 10:49:48} in UTC: the one place that writes and reads it. */
public final class OoniTime {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private OoniTime() {}

    public static String format(Instant t) {
        return FORMAT.format(t);
    }

    /** @throws DateTimeParseException for text not in OONI's format */
    public static Instant parse(String text) {
        return LocalDateTime.parse(text, FORMAT).toInstant(ZoneOffset.UTC);
    }
}
