package org.blockwatch.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to {@code run} and {@code targets check}: one line naming what is wrong, exit 2, nothing measured. */
class RunCommandTest {
    @TempDir
    Path tmp;

    private static Cli run(String... args) {
        return Cli.run(args);
    }

    private Path config(String yaml) throws Exception {
        return Files.writeString(tmp.resolve("config.yaml"), "consent: true\n" + yaml);
    }

    private static void oneLineError(Cli r, String... mentions) {
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err().lines().filter(l -> l.startsWith("blockwatch: ")).toList()).hasSize(1);
        assertThat(r.err()).contains(mentions);
    }

    @Test
    void malformedYaml() throws Exception {
        Path c = config("schedule:\n  interval: [5m\n");
        oneLineError(run("run", "--config", c.toString()), c.toString(), "not valid YAML");
    }

    @Test
    void unknownKey() throws Exception {
        Path c = config("schedule:\n  intervall: 5m\n");
        oneLineError(run("run", "--config", c.toString()), c + ":3:3: key 'schedule.intervall': unknown key");
    }

    @Test
    void badDuration() throws Exception {
        Path c = config("schedule:\n  interval: soon\n");
        oneLineError(run("run", "--config", c.toString()), c + ":3:3: key 'schedule.interval'", "not a duration");
    }

    @Test
    void unreadableList() throws Exception {
        Path c = config("targets:\n  lists: [" + tmp.resolve("missing.csv") + "]\n");
        oneLineError(run("run", "--config", c.toString()), "targets.lists", "missing.csv: no such file");
    }

    @Test
    void unwritableStorePath() throws Exception {
        Path blocker = Files.writeString(tmp.resolve("a-file"), "not a directory");
        Path c = config("targets:\n  lists: [builtin:global]\nstore:\n  path: " + blocker.resolve("store.db") + "\n");
        oneLineError(run("run", "--config", c.toString()), "store " + blocker.resolve("store.db"));
    }

    @Test
    void withoutConsentNothingIsMeasured() throws Exception {
        Path c = Files.writeString(tmp.resolve("no-consent.yaml"), "consent: false\n");
        Cli r = run("run", "--config", c.toString());
        // Tests run with a home of their own (the build's surefire configuration): a consent the person
        // running them gave never applies here, and the agent is never started against real sites.
        assertThat(System.getenv("XDG_CONFIG_HOME")).as("a test home").contains("test-home");
        oneLineError(r, "consent needed");
        assertThat(r.err()).contains("Running a probe can carry risk");
    }

    @Test
    void targetsCheckReportsEveryBadRowAndLoadsTheRest() throws Exception {
        Path list = Files.writeString(tmp.resolve("list.csv"), """
                url,category_code,category_description,date_added,source,notes
                https://good.example/,NEWS,News Media,2024-01-01,test,
                not a url,NEWS,News Media,2024-01-01,test,
                https://other.example/,,,2024-01-01,test,
                """);
        Cli r = run("targets", "check", list.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(list + ":3: field 'url'", list + ":4: field 'category_code' is empty");
        assertThat(r.out()).contains(list + ": 1 targets, 2 bad rows");
        Cli builtin = run("targets", "check", "builtin:kz", "builtin:global");
        assertThat(builtin.exit()).as(builtin.err()).isZero();
    }
}
