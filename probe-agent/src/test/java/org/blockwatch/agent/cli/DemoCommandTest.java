package org.blockwatch.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
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
        // The web pages, then the two STUN servers (one open, one blocked for the probe), then the four apps, in the same sweep.
        int apps = Scenarios.APPS.size();
        assertThat(apps).isEqualTo(4);
        int targets = sites + 2 + apps;
        assertThat(r.out().lines().filter(l -> l.endsWith(" yes")).count()).isEqualTo(targets);
        assertThat(r.out()).contains("2 of 2 STUN verdicts match what the censor did");
        assertThat(r.out()).contains("4 of 4 app verdicts match what the censor did");
        // The app table: its header, then a row per app with the verdict the censor's technique gives.
        List<String> lines = r.out().lines().toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("APP").contains("WHAT THE CENSOR DOES", "VERDICT", "METHOD", "AS EXPECTED"));
        assertThat(row(lines, "telegram ")).contains("resets connections to its data centres", " blocked ", " tcp_ip ").endsWith(" yes");
        assertThat(row(lines, "whatsapp ")).contains("resets port 443 of every endpoint", " accessible ").endsWith(" yes");
        assertThat(row(lines, "signal ")).contains("Qaznet Trust Network", " blocked ", " tls ", "tls_mitm tls_mitm_government_root").endsWith(" yes");
        assertThat(row(lines, "facebook_messenger ")).contains("the ISP's resolver answers its names", " blocked ", " dns ").endsWith(" yes");
        assertThat(r.out()).contains("Measured again, as the agent's next sweep would: " + sites + " of " + sites + " verdicts the same");
        try (MeasurementStore s = MeasurementStore.open(store)) {
            // The agent's sweep, twice: each new state confirmed by a second measurement, then once more
            // each (twice where a state was not confirmed and is tried again).
            assertThat(s.count()).isBetween(3L * targets, 4L * targets);
            assertThat(s.currentStates()).hasSize(targets);
        }
        // Two measurements in a row per site: the demo's store has a timeline to export.
        Cli export = Cli.run("export", "--db", store.toString(), "--format", "timeline-csv");
        assertThat(export.exit()).as(export.err()).isZero();
        assertThat(export.out().lines().skip(1).count()).isGreaterThanOrEqualTo(sites);
    }

    /** The one line of the demo's output that starts with {@code start}. */
    private static String row(List<String> lines, String start) {
        List<String> rows = lines.stream().filter(l -> l.startsWith(start)).toList();
        assertThat(rows).as("a row starting with '%s'", start).hasSize(1);
        return rows.getFirst();
    }
}
