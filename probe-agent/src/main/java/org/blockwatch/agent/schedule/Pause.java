package org.blockwatch.agent.schedule;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Optional;
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
    private final Path file;
    private final QuietHours quiet;
    private final ZoneId zone;

    public Pause(Path file, QuietHours quiet, ZoneId zone) {
        this.file = file;
        this.quiet = quiet;
        this.zone = zone;
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
