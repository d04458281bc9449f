package org.blockwatch.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.blockwatch.agent.store.MeasurementStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.blockwatch.scenarios.Scenarios;

class DemoCommandTest {
    @TempDir
    Path tmp;

    @Test
    void everyVerdictMatchesWhatTheCensorDid() throws Exception {
        Path store = tmp.resolve("demo.db");
        Cli r = Cli.run("demo", "--metrics-listen", "127.0.0.1:0", "--store", store.toString());
        assertThat(r.exit()).as(r.out() + "\n" + r.err()).isZero();
        int sites = Scenarios.ALL.size();
        assertThat(sites).isGreaterThanOrEqualTo(17);
        assertThat(r.out()).contains(sites + " of " + sites + " verdicts match what the censor did.", "Metrics: http://127.0.0.1:");
        assertThat(r.out().lines().filter(l -> l.endsWith(" yes")).count()).isEqualTo(sites);
        assertThat(r.out()).contains("Measured again, as the agent's next sweep would: " + sites + " of " + sites + " verdicts the same");
        try (MeasurementStore s = MeasurementStore.open(store)) {
            // The agent's sweep, twice: each new state confirmed by a second measurement, then once more
            // each (twice where a state was not confirmed and is tried again).
            assertThat(s.count()).isBetween(3L * sites, 4L * sites);
            assertThat(s.currentStates()).hasSize(sites);
        }
        // Two measurements in a row per site: the demo's store has a timeline to export.
        Cli export = Cli.run("export", "--db", store.toString(), "--format", "timeline-csv");
        assertThat(export.exit()).as(export.err()).isZero();
        assertThat(export.out().lines().skip(1).count()).isGreaterThanOrEqualTo(sites);
    }
}
