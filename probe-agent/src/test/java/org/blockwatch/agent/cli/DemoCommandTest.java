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
        // The web pages, then the two STUN servers (one open, one blocked for the probe), then the four
        // apps (issue 30: two open, WhatsApp's web client reset, Messenger's name denied), in the same sweep.
        assertThat(r.out().lines().filter(l -> l.endsWith(" yes")).count()).isEqualTo(sites + 2 + 4);
        assertThat(r.out()).contains("2 of 2 STUN verdicts match what the censor did");
        assertThat(r.out()).contains("4 of 4 app verdicts match what the censor did (facebook_messenger, telegram, whatsapp, signal)");
        assertThat(r.out().lines().filter(l -> l.startsWith("whatsapp ")).findFirst().orElseThrow()).contains("blocked", "tls", "yes");
        assertThat(r.out().lines().filter(l -> l.startsWith("facebook_messenger ")).findFirst().orElseThrow()).contains("blocked", "dns", "yes");
        assertThat(r.out().lines().filter(l -> l.startsWith("telegram ")).findFirst().orElseThrow()).contains("accessible", "yes");
        assertThat(r.out()).contains("Measured again, as the agent's next sweep would: " + sites + " of " + sites + " verdicts the same");
        try (MeasurementStore s = MeasurementStore.open(store)) {
            // The agent's sweep, twice: each new state confirmed by a second measurement, then once more
            // each (twice where a state was not confirmed and is tried again).
            assertThat(s.count()).isBetween(3L * (sites + 6), 4L * (sites + 6));
            assertThat(s.currentStates()).hasSize(sites + 6);
        }
        // Two measurements in a row per site: the demo's store has a timeline to export.
        Cli export = Cli.run("export", "--db", store.toString(), "--format", "timeline-csv");
        assertThat(export.exit()).as(export.err()).isZero();
        assertThat(export.out().lines().skip(1).count()).isGreaterThanOrEqualTo(sites);
    }
}
