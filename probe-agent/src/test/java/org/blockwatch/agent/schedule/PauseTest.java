package org.blockwatch.agent.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PauseTest {
    @TempDir
    Path tmp;

    @Test
    void aPauseHoldsUntilItsTimeOrUntilResumed() throws Exception {
        Path file = Pause.fileOf(tmp.resolve("blockwatch.db"));
        assertThat(file.getFileName().toString()).isEqualTo("blockwatch.paused");
        Pause p = new Pause(file, QuietHours.NONE, ZoneOffset.UTC);
        Instant now = Instant.parse("2026-12-02T10:00:00Z");
        assertThat(p.at(now)).isEmpty();
        p.pauseUntil(now.plusSeconds(3600));
        assertThat(p.at(now)).hasValueSatisfying(u -> assertThat(u.until()).isEqualTo(now.plusSeconds(3600)));
        assertThat(p.at(now.plusSeconds(3600))).isEmpty(); // its time is up
        p.pauseUntil(null);
        assertThat(p.at(now.plusSeconds(99_999))).hasValueSatisfying(u -> assertThat(u.indefinite()).isTrue());
        assertThat(p.resume()).isTrue();
        assertThat(p.at(now)).isEmpty();
        assertThat(p.resume()).isFalse();
    }

    @Test
    void theLaterOfAPauseAndTheQuietHoursWinsAndAGarbledFileStillPauses() throws Exception {
        Path file = tmp.resolve("b.paused");
        Pause p = new Pause(file, QuietHours.parse("10:00-12:00"), ZoneOffset.UTC);
        Instant now = Instant.parse("2026-12-02T10:30:00Z");
        assertThat(p.at(now)).hasValueSatisfying(u -> assertThat(u.reason()).startsWith("quiet hours"));
        p.pauseUntil(Instant.parse("2026-12-02T11:00:00Z"));
        assertThat(p.at(now).orElseThrow().until()).isEqualTo(Instant.parse("2026-12-02T12:00:00Z"));
        p.pauseUntil(Instant.parse("2026-12-02T13:00:00Z"));
        assertThat(p.at(now).orElseThrow().reason()).isEqualTo("paused");
        Files.writeString(file, "tomorrow-ish");
        assertThat(p.at(now).orElseThrow().indefinite()).isTrue();
        assertThat(p.at(now).orElseThrow().reason()).contains(file.toString()).contains("blockwatch resume");
    }

    /**
     * Issue 29, finding 18: a pause file that is not UTF-8 (or cannot be read) still pauses, and
     * says why, naming the file; it was ignored and the agent measured.
     */
    @Test
    void aPauseFileThatIsNotUtf8PausesAndNamesTheFile() throws Exception {
        Path file = tmp.resolve("c.paused");
        Pause p = new Pause(file, QuietHours.parse(""), ZoneOffset.UTC);
        Instant now = Instant.parse("2026-12-02T10:30:00Z");
        Files.write(file, new byte[] {'u', 'n', 't', 'i', 'l', (byte) 0xff, (byte) 0xfe, '\n'});
        Pause.Until u = p.at(now).orElseThrow();
        assertThat(u.indefinite()).isTrue();
        assertThat(u.reason()).contains(file.toString()).contains("not UTF-8");
        Files.delete(file);
        Files.createDirectory(file); // not a file at all
        assertThat(p.at(now).orElseThrow().reason()).contains(file.toString()).contains("cannot be read");
        Files.delete(file);
        assertThat(p.at(now)).isEmpty();
    }

    /** Issue 32: {@code pause 90} was 90 seconds, {@code pause 2 hours} refused; how volunteers write a while is read. */
    @Test
    void aDurationIsReadAsVolunteersWriteItAndANumberAloneIsMinutes() {
        java.util.Map<String, java.time.Duration> read = new java.util.LinkedHashMap<>();
        read.put("2h", java.time.Duration.ofHours(2));
        read.put("2 hours", java.time.Duration.ofHours(2));
        read.put("1 hour", java.time.Duration.ofHours(1));
        read.put("90m", java.time.Duration.ofMinutes(90));
        read.put("90 minutes", java.time.Duration.ofMinutes(90));
        read.put("90", java.time.Duration.ofMinutes(90));
        read.put("1d", java.time.Duration.ofDays(1));
        read.put("3 days", java.time.Duration.ofDays(3));
        read.put("30s", java.time.Duration.ofSeconds(30));
        read.put("1h30m", java.time.Duration.ofMinutes(90));
        read.put("1 hour 30 minutes", java.time.Duration.ofMinutes(90));
        read.put("1h, 30min", java.time.Duration.ofMinutes(90));
        read.put(" 2H ", java.time.Duration.ofHours(2));
        read.put("2 часа", java.time.Duration.ofHours(2));
        read.put("5 часов", java.time.Duration.ofHours(5));
        read.put("30 минут", java.time.Duration.ofMinutes(30));
        read.put("1 день", java.time.Duration.ofDays(1));
        read.put("2 сағат", java.time.Duration.ofHours(2));
        read.put("1 күн", java.time.Duration.ofDays(1));
        read.forEach((text, d) -> assertThat(Pause.duration(text)).as(text).contains(d));
        for (String not : new String[] {"a while", "2 weeks", "h", "", "2h and 30m", "-5m", "1.5h", "2 hours later", "30 30"}) {
            assertThat(Pause.duration(not)).as(not).isEmpty();
        }
    }
}
