package org.blockwatch.agent.schedule;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * A daily window of local time in which no measurement starts ({@code schedule.quiet_hours}, e.g.
 * {@code 18:00-23:00}, or {@code 22:00-06:00} across midnight): a family's evening stays theirs.
 */
public record QuietHours(LocalTime from, LocalTime to) {
    public static final QuietHours NONE = new QuietHours(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT);

    public QuietHours {
        if (from == null || to == null) throw new IllegalArgumentException("quiet hours need a start and an end");
    }

    /** {@code HH:MM-HH:MM}, or empty for none. */
    public static QuietHours parse(String text) {
        String s = text == null ? "" : text.strip();
        if (s.isEmpty()) return NONE;
        String[] parts = s.split("-", -1);
        try {
            if (parts.length != 2) throw new DateTimeParseException("no -", s, 0);
            QuietHours q = new QuietHours(LocalTime.parse(parts[0].strip()), LocalTime.parse(parts[1].strip()));
            if (q.from.equals(q.to)) throw new IllegalArgumentException("'" + text + "' is an empty window: start and end are the same");
            return q;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a window of local time like 18:00-23:00");
        }
    }

    public boolean none() {
        return from.equals(to);
    }

    /** When the window {@code now} falls in ends; empty when {@code now} is outside it. */
    public Optional<Instant> endIfInside(Instant now, ZoneId zone) {
        if (none()) return Optional.empty();
        ZonedDateTime local = now.atZone(zone);
        LocalTime t = local.toLocalTime();
        boolean inside = from.isBefore(to) ? !t.isBefore(from) && t.isBefore(to) : !t.isBefore(from) || t.isBefore(to);
        if (!inside) return Optional.empty();
        ZonedDateTime end = local.with(to);
        if (!end.isAfter(local)) end = end.plusDays(1);
        return Optional.of(end.toInstant());
    }

    @Override
    public String toString() {
        return none() ? "" : from + "-" + to;
    }
}
