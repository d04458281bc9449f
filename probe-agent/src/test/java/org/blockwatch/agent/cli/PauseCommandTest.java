package org.blockwatch.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pause}, {@code resume} and their trace in {@code status}. */
class PauseCommandTest {
    @TempDir
    Path tmp;

    @Test
    void aPauseIsKeptBesideTheStoreShownByStatusAndEndedByResume() {
        Path store = tmp.resolve("agent.db");
        Cli demo = Cli.run("demo", "--metrics-listen", "127.0.0.1:0", "--store", store.toString());
        assertThat(demo.exit()).isZero();
        Cli pause = Cli.run("pause", "2h", "--store", store.toString());
        assertThat(pause.exit()).as(pause.err()).isZero();
        assertThat(pause.out()).startsWith("Paused for 2 hours, until ");
        assertThat(tmp.resolve("agent.paused")).exists();
        Cli status = Cli.run("status", "--store", store.toString(), "--metrics-listen", "127.0.0.1:1");
        assertThat(status.out()).containsPattern("Paused: +until .+ \\(paused\\)");

        Cli forever = Cli.run("pause", "--store", store.toString());
        assertThat(forever.out()).startsWith("Paused until 'blockwatch resume'.");
        Cli resume = Cli.run("resume", "--store", store.toString());
        assertThat(resume.exit()).isZero();
        assertThat(resume.out()).startsWith("Resumed");
        assertThat(Files.exists(tmp.resolve("agent.paused"))).isFalse();
        assertThat(Cli.run("status", "--store", store.toString(), "--metrics-listen", "127.0.0.1:1").out()).contains("Paused:      no");
        assertThat(Cli.run("resume", "--store", store.toString()).out()).startsWith("Not paused");
    }

    @Test
    void aBadDurationIsRefusedByName() {
        Cli r = Cli.run("pause", "a", "while", "--store", tmp.resolve("agent.db").toString());
        assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("DURATION: 'a while' is not a duration: give e.g. 2h, 2 hours, 90m, 1h30m, 1d or 30s (a number alone is minutes)");
        assertThat(tmp.resolve("agent.paused")).doesNotExist();
        Cli tooLong = Cli.run("pause", "400 days", "--store", tmp.resolve("agent.db").toString());
        assertThat(tooLong.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(tooLong.err()).contains("DURATION: 400 days is out of range: from 1 second to 365 days");
        assertThat(tmp.resolve("agent.paused")).doesNotExist();
    }

    /** Issue 32: {@code pause 90} paused for 90 seconds; a number alone is minutes, and the answer says how long it understood. */
    @Test
    void aNumberAloneIsMinutesAndTwoHoursInWordsIsTwoHours() throws Exception {
        Path store = tmp.resolve("agent.db");
        Instant before = Instant.now();
        Cli ninety = Cli.run("pause", "90", "--store", store.toString());
        Instant after = Instant.now();
        assertThat(ninety.exit()).as(ninety.err()).isZero();
        assertThat(ninety.out()).startsWith("Paused for 1 hour 30 minutes, until ");
        Instant until = Instant.parse(Files.readString(tmp.resolve("agent.paused")).strip());
        assertThat(until).isBetween(before.plus(Duration.ofMinutes(90)), after.plus(Duration.ofMinutes(90)));
        Cli words = Cli.run("pause", "2", "hours", "--store", store.toString()); // as the shell splits 'pause 2 hours'
        assertThat(words.err()).isEmpty();
        assertThat(words.exit()).as(words.err()).isZero();
        assertThat(words.out()).startsWith("Paused for 2 hours, until ");
        // Until when, in local time with the zone's offset.
        assertThat(words.out().lines().findFirst().orElseThrow()).matches("Paused for 2 hours, until \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d [+-]\\d\\d:\\d\\d\\.");
    }

    /** Issue 32: while paused, status announced the next sweep as if nothing held it. */
    @Test
    void whilePausedStatusAnnouncesNoSweepBeforeThePauseEnds() throws Exception {
        Path store = tmp.resolve("agent.db");
        assertThat(Cli.run("demo", "--metrics-listen", "127.0.0.1:0", "--store", store.toString()).exit()).isZero();
        String running = Cli.run("status", "--store", store.toString(), "--metrics-listen", "127.0.0.1:1").out();
        assertThat(running).containsPattern("(?m)^Next sweep:  about .+ \\(every 1h\\)$");
        assertThat(Cli.run("pause", "3 days", "--store", store.toString()).exit()).isZero();
        String paused = Cli.run("status", "--store", store.toString(), "--metrics-listen", "127.0.0.1:1").out();
        String pausedLine = paused.lines().filter(l -> l.startsWith("Paused:")).findFirst().orElseThrow();
        String nextLine = paused.lines().filter(l -> l.startsWith("Next sweep:")).findFirst().orElseThrow();
        String end = pausedLine.replaceAll("^Paused: +until (.+) \\(paused\\)$", "$1");
        assertThat(nextLine).isEqualTo("Next sweep:  after the pause, about " + end);
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Cli.run("status", "--json", "--store", store.toString(), "--metrics-listen", "127.0.0.1:1").out());
        assertThat(json.path("next_sweep_about").asText()).as("--json announces no sweep inside the pause either")
                .isEqualTo(json.path("paused").path("until").asText());
        assertThat(Cli.run("pause", "--store", store.toString()).exit()).isZero();
        assertThat(Cli.run("status", "--store", store.toString(), "--metrics-listen", "127.0.0.1:1").out())
                .contains("Next sweep:  after 'blockwatch resume'").doesNotContain("(every ");
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(Cli.run("status", "--json", "--store", store.toString(), "--metrics-listen", "127.0.0.1:1").out())
                .path("next_sweep_about").isNull()).as("no sweep until 'resume'").isTrue();
    }
}
