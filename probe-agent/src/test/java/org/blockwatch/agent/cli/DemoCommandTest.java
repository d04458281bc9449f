package org.blockwatch.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.blockwatch.agent.store.MeasurementStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    @TempDir
    Path tmp;

    @Test
    void everyVerdictMatchesWhatTheCensorDid() throws Exception {
        Path store = tmp.resolve("demo.db");
        Cli r = Cli.run("demo", "--metrics-listen", "127.0.0.1:0", "--store", store.toString());
        assertThat(r.exit()).as(r.out() + "\n" + r.err()).isZero();
        assertThat(r.out()).contains("15 of 15 verdicts match what the censor did.", "Metrics: http://127.0.0.1:");
        assertThat(r.out().lines().filter(l -> l.endsWith(" yes")).count()).isEqualTo(15);
        try (MeasurementStore s = MeasurementStore.open(store)) {
            assertThat(s.count()).isEqualTo(15);
            assertThat(s.currentStates()).hasSize(15);
        }
    }
}
