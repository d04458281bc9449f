package org.blockwatch.agent.schedule;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.blockwatch.agent.store.MeasurementStore;

/**
 * Whether measuring is paused now, and until when: by {@code blockwatch pause} (a file beside the
 * store that the running agent reads before each measurement starts, so no restart and no new
 * listening port are needed) or by the quiet hours. {@code blockwatch resume} removes the file.
 */
public final class Pause {
    /** Why no measurement starts now, and until when ({@link Instant#MAX}: until resumed). */
    public record Until(Instant until, String reason) {
        public boolean indefinite() {
            return until.equals(Instant.MAX);
        }
    }

    private static final String FOREVER = "until resumed";
    /** The shortest and longest pause {@link #duration} reads. */
    public static final Duration SHORTEST = Duration.ofSeconds(1);
    public static final Duration LONGEST = Duration.ofDays(365);
    private static final Pattern NUMBER = Pattern.compile("\\d{1,9}");
    private static final Pattern PART = Pattern.compile("\\G[\\s,]*(\\d{1,9})\\s*(\\p{L}+)");
    /** The units a volunteer writes, in English, Russian and Kazakh, to their length. */
    private static final Map<String, Duration> UNITS = units();
    private final Path file;
    private final QuietHours quiet;
    private final ZoneId zone;

    public Pause(Path file, QuietHours quiet, ZoneId zone) {
        this.file = file;
        this.quiet = quiet;
        this.zone = zone;
    }

    /**
     * How long a volunteer asks to pause: {@code 2h}, {@code 2 hours}, {@code 90m}, {@code 90 minutes},
     * {@code 1h30m}, {@code 1d}, {@code 30s}, also in Russian and Kazakh ({@code 2 часа},
     * {@code 2 сағат}); a number alone is minutes (what {@code pause 90} means to a person, where
     * {@code sleep 90} would be seconds). Empty when the text is none of these; the range
     * ({@link #SHORTEST} to {@link #LONGEST}) is the caller's to check, so that it can say which.
     */
    public static Optional<Duration> duration(String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        if (NUMBER.matcher(s).matches()) return Optional.of(Duration.ofMinutes(Long.parseLong(s)));
        Matcher m = PART.matcher(s);
        Duration total = Duration.ZERO;
        int at = 0;
        while (m.find() && m.start() == at) {
            Duration unit = UNITS.get(m.group(2));
            if (unit == null) return Optional.empty();
            total = total.plus(unit.multipliedBy(Long.parseLong(m.group(1))));
            at = m.end();
        }
        return at == 0 || at != s.length() ? Optional.empty() : Optional.of(total);
    }

    private static Map<String, Duration> units() {
        Map<String, Duration> units = new java.util.HashMap<>();
        for (String u : new String[] {"s", "sec", "secs", "second", "seconds", "с", "сек", "секунда", "секунды", "секунд", "секунду"}) {
            units.put(u, Duration.ofSeconds(1));
        }
        for (String u : new String[] {"m", "min", "mins", "minute", "minutes", "м", "мин", "минута", "минуты", "минут", "минуту"}) {
            units.put(u, Duration.ofMinutes(1));
        }
        for (String u : new String[] {"h", "hr", "hrs", "hour", "hours", "ч", "час", "часа", "часов", "сағ", "сағат"}) {
            units.put(u, Duration.ofHours(1));
        }
        for (String u : new String[] {"d", "day", "days", "д", "дн", "день", "дня", "дней", "күн"}) {
            units.put(u, Duration.ofDays(1));
        }
        return Map.copyOf(units);
    }

    /** The pause file of the store at {@code store}: {@code blockwatch.paused} for {@code blockwatch.db}. */
    public static Path fileOf(Path store) {
        return MeasurementStore.beside(store, ".paused");
    }

    /** The reason of a pause whose file is damaged: the file named, and how to end it. */
    private String damaged(String what) {
        return "paused until resumed: the pause file " + file + " " + what + " ('blockwatch resume' removes it)";
    }

    /** The pause of the store at {@code store}, with {@code quiet} hours in this machine's time zone. */
    public static Pause ofStore(Path store, QuietHours quiet) {
        return new Pause(fileOf(store), quiet, ZoneId.systemDefault());
    }

    /** Pauses until {@code until}, or until resumed when null; written whole, so the agent never reads half of it. */
    public void pauseUntil(Instant until) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, (until == null ? FOREVER : until.toString()) + "\n");
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Ends a pause; false when there was none. */
    public boolean resume() throws IOException {
        return Files.deleteIfExists(file);
    }

    /** Why nothing may start at {@code now}; empty when measuring may go on. */
    public Optional<Until> at(Instant now) {
        Optional<Until> paused = file(now);
        Optional<Until> quietly = quiet.endIfInside(now, zone).map(end -> new Until(end, "quiet hours " + quiet));
        if (paused.isEmpty()) return quietly;
        if (quietly.isEmpty()) return paused;
        return paused.get().until().isAfter(quietly.get().until()) ? paused : quietly;
    }

    private Optional<Until> file(Instant now) {
        String text;
        try {
            text = Files.readString(file).strip();
        } catch (NoSuchFileException e) {
            return Optional.empty(); // no pause file: not paused
        } catch (MalformedInputException e) {
            // A pause file is there: the volunteer meant to pause. Said, naming the file, never ignored.
            return Optional.of(new Until(Instant.MAX, damaged("is not UTF-8 text")));
        } catch (IOException e) {
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) return Optional.empty(); // removed meanwhile: not paused
            return Optional.of(new Until(Instant.MAX, damaged("cannot be read (" + e.getClass().getSimpleName() + ")")));
        }
        if (text.equals(FOREVER)) return Optional.of(new Until(Instant.MAX, "paused"));
        try {
            Instant until = Instant.parse(text);
            return until.isAfter(now) ? Optional.of(new Until(until, "paused")) : Optional.empty();
        } catch (DateTimeParseException e) {
            return Optional.of(new Until(Instant.MAX, damaged("holds neither a time nor '" + FOREVER + "'"))); // the volunteer meant to pause
        }
    }
}
