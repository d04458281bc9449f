package org.blockwatch.agent.export;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.regex.Pattern;

/**
 * A time as {@code --since} and {@code --until} take it: a date ({@code 2026-12-07}, its midnight),
 * a time to the minute or second ({@code 2026-12-07T10:00}, {@code 2026-12-07 10:00:30}), with
 * a zone ({@code Z}, {@code +05:00}, {@code +05:00[Asia/Almaty]}) or without one: then in the
 * local zone, as a person at the probe reads a clock.
 */
public final class ExportTime {
    /** The forms, as errors and help texts list them. */
    public static final String FORMS = "2026-12-07, 2026-12-07T10:00, 2026-12-07 10:00, 2026-12-07T10:00:00Z or 2026-12-07T10:00+05:00"
            + " (without a zone: local time)";

    // A space between date and time is what people type (and SQL prints); ISO-8601 wants a T.
    private static final Pattern DATE_SPACE_TIME = Pattern.compile("(\\d{4}-\\d{2}-\\d{2}) +(\\d)");

    private ExportTime() {}

    /** The instant {@code text} names, a time without a zone taken in {@code localZone}. */
    public static Instant parse(String text, ZoneId localZone) {
        String s = DATE_SPACE_TIME.matcher(text.strip()).replaceFirst("$1T$2");
        try {
            if (!s.contains("T")) return LocalDate.parse(s).atStartOfDay(localZone).toInstant();
            if (s.endsWith("]")) return ZonedDateTime.parse(s).toInstant();
            if (hasOffset(s)) return OffsetDateTime.parse(s).toInstant();
            return LocalDateTime.parse(s).atZone(localZone).toInstant();
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("'" + text + "' is not a date or time; give " + FORMS);
        }
    }

    /** Whether the time part ends with {@code Z} or a {@code +hh:mm}/{@code -hh:mm} offset. */
    private static boolean hasOffset(String s) {
        String time = s.substring(s.indexOf('T') + 1);
        return time.endsWith("Z") || time.endsWith("z") || time.indexOf('+') >= 0 || time.indexOf('-') >= 0;
    }
}
