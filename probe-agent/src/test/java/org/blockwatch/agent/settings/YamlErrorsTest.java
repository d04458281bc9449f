package org.blockwatch.agent.settings;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A configuration file's mistakes as a volunteer makes them in an editor: each message names the
 * file, the line and column where the mistake is (not where the parser gave up), and the cause in
 * plain words.
 */
class YamlErrorsTest {
    @TempDir
    Path tmp;

    private Path file(String yaml) throws Exception {
        return Files.writeString(tmp.resolve("blockwatch.yaml"), yaml);
    }

    @Test
    void aTabIndentingAKey() throws Exception {
        Path f = file("""
                # blockwatch
                consent: true

                targets:
                  lists: [builtin:kz]
                schedule:
                \tinterval: 5m
                """);
        assertThatThrownBy(() -> CommandSettings.fromFile(f)).isInstanceOf(SettingsException.class)
                .hasMessage(f + ":7:1: not valid YAML: a tab character; YAML indents with spaces (replace the tab with spaces)");
    }

    @Test
    void aTabAfterSpaces() throws Exception {
        Path f = file("schedule:\n  interval: 5m\n  \tjitter: 1m\n");
        assertThatThrownBy(() -> CommandSettings.fromFile(f)).hasMessageStartingWith(f + ":3:3: not valid YAML: a tab character; YAML indents with spaces");
    }

    @Test
    void aKeyIndentedLessThanItsNeighbours() throws Exception {
        Path f = file("schedule:\n  interval: 5m\n jitter: 1m\nconsent: true\n");
        assertThatThrownBy(() -> CommandSettings.fromFile(f))
                .hasMessage(f + ":3:2: not valid YAML: this line is indented differently from the keys above it (2 spaces); indent the keys of a section alike");
    }

    @Test
    void aKeyIndentedMoreThanItsNeighbours() throws Exception {
        Path f = file("schedule:\n  interval: 5m\n    jitter: 1m\n");
        assertThatThrownBy(() -> CommandSettings.fromFile(f)).hasMessageStartingWith(f + ":3:")
                .hasMessageContaining("indented differently from the keys above it");
    }

    @Test
    void aKeyGivenTwice() throws Exception {
        Path f = file("schedule:\n  interval: 5m\n  jitter: 1m\n  interval: 10m\n");
        assertThatThrownBy(() -> CommandSettings.fromFile(f))
                .hasMessage(f + ":4:3: key 'schedule.interval' is given twice (first on line 2); keep one");
    }

    @Test
    void aSectionGivenTwice() throws Exception {
        Path f = file("schedule:\n  interval: 5m\nconsent: true\nschedule:\n  jitter: 1m\n");
        assertThatThrownBy(() -> CommandSettings.fromFile(f))
                .hasMessage(f + ":4:1: key 'schedule' is given twice (first on line 1); keep one");
    }

    @Test
    void anUnknownKeyWithItsColumn() throws Exception {
        Path f = file("consent: true\nschedule:\n  intervall: 5m\n");
        assertThatThrownBy(() -> CommandSettings.fromFile(f))
                .hasMessage(f + ":3:3: key 'schedule.intervall': unknown key (did you mean 'schedule.interval'?)");
    }

    @Test
    void anUnclosedList() throws Exception {
        Path f = file("targets:\n  lists: [builtin:kz\nschedule:\n  interval: 5m\n");
        assertThatThrownBy(() -> CommandSettings.fromFile(f)).hasMessageStartingWith(f + ":2:10: not valid YAML: ")
                .hasMessageContaining("a list opened with '[' is not closed with ']'");
    }
}
