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
        // Issue 31: two resolvers (dnscheck), targets of the sweep too, and the port-filtering helper's four channels.
        int targets = sites + 2 + apps + 2;
        assertThat(r.out().lines().filter(l -> l.endsWith(" yes")).count()).isEqualTo(targets + 4);
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
        // The resolvers: one abroad, open; the ISP's, answering in a foreign resolver's name (its identity query gets another answer).
        assertThat(row(lines, "udp://127.101.0.53:")).contains(" accessible ").endsWith(" yes");
        assertThat(row(lines, "udp://127.0.0.1:")).contains(" blocked ", " dns ", "dns_intercepted").endsWith(" yes");
        assertThat(r.out()).contains("2 of 2 resolver verdicts match").containsPattern("DNS: 127\\.0\\.0\\.1:\\d+ is answered by someone else");
        // The port-filtering helper: the channel the censor resets is closed, the others open.
        assertThat(lines.stream().filter(l -> l.matches("(tcp|udp|quic)/\\d+ .*")).toList()).hasSize(4)
                .filteredOn(l -> l.contains("resets the connection")).singleElement().satisfies(l -> assertThat(l).contains(" closed ").endsWith(" yes"));
        assertThat(r.out()).contains("4 of 4 channels to the port-filtering helper (portfilter://127.101.0.80) as expected");
        try (MeasurementStore s = MeasurementStore.open(store)) {
            // The agent's sweep, twice: each new state confirmed by a second measurement, then once more
            // each (twice where a state was not confirmed and is tried again).
            // The port-filtering check once, beside them.
            assertThat(s.count()).isBetween(3L * targets + 1, 4L * targets + 1);
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
