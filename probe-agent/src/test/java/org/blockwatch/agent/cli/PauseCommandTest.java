package org.blockwatch.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
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
        assertThat(pause.out()).startsWith("Paused until ");
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
        Cli r = Cli.run("pause", "a while", "--store", tmp.resolve("agent.db").toString());
        assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("DURATION: 'a while' is not a duration");
        assertThat(tmp.resolve("agent.paused")).doesNotExist();
    }
}
