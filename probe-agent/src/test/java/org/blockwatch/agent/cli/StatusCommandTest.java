package org.blockwatch.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.blockwatch.agent.metrics.AgentMetrics;
import org.blockwatch.agent.metrics.MetricsServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code blockwatch status} on the demo's store: blocked targets first, JSON for scripts, the exit codes. */
class StatusCommandTest {
    @TempDir
    static Path tmp;
    private static Path store;

    @BeforeAll
    static void aStoreWithMeasurements() {
        store = tmp.resolve("demo.db");
        Cli demo = Cli.run("demo", "--metrics-listen", "127.0.0.1:0", "--store", store.toString());
        assertThat(demo.exit()).as(demo.err()).isZero();
    }

    private static String nobodyListening() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "127.0.0.1:" + s.getLocalPort();
        }
    }

    @Test
    void withoutARunningAgentItShowsTheStoreBlockedFirstAndExits3() throws Exception {
        Cli r = Cli.run("status", "--store", store.toString(), "--metrics-listen", nobodyListening());
        assertThat(r.exit()).as(r.err()).isEqualTo(StatusCommand.NOT_RUNNING);
        assertThat(r.out()).contains("Agent:       not answering", "Network:     AS0 ZZ (blockwatch demo), online", "Last sweep:  ",
                "Next sweep:  about ", "Targets:     25: 18 blocked, 2 down, 5 accessible");
        // Issue 31: the ISP's resolver, which the demo checks as a resolver abroad, answers in its name (from the pages' measurements).
        assertThat(r.out()).containsPattern("(?m)^DNS:         127\\.0\\.0\\.1:\\d+ is answered by someone else \\(its identity query was answered "
                + "dns_no_answer, not /\\^res\\[0-9\\]\\+\\\\\\.abroad\\\\\\.demo\\$/; measured .* [+-]\\d\\d:\\d\\d\\)$");
        // The demo's 17 sites, its two STUN servers (stunreachability), its four apps (issue 30) and two resolvers (dnscheck, issue 31).
        List<String> rows = r.out().lines().dropWhile(l -> !l.startsWith("STATE")).skip(1).toList();
        assertThat(rows).hasSize(25);
        assertThat(rows.subList(0, 18)).allMatch(l -> l.startsWith("blocked"));
        assertThat(rows).anyMatch(l -> l.startsWith("blocked") && l.contains(" dns ") && l.contains("udp://127.0.0.1:"));
        assertThat(rows).anyMatch(l -> l.startsWith("accessible") && l.contains("udp://127.101.0.53:"));
        assertThat(rows).anyMatch(l -> l.startsWith("blocked") && l.contains("tcp_ip") && l.endsWith("  telegram"));
        assertThat(rows).anyMatch(l -> l.startsWith("accessible") && l.endsWith("  whatsapp"));
        assertThat(rows).anyMatch(l -> l.startsWith("blocked") && l.contains("tcp_ip") && l.contains("stun://127.100.0.31:"));
        assertThat(rows).anyMatch(l -> l.startsWith("accessible") && l.contains("stun://127.100.0.30:"));
        assertThat(rows.getLast()).startsWith("accessible");
    }

    /** Issue 32: every time status showed was UTC, while the quiet hours (and the volunteer's clock) are local. */
    @Test
    void everyTimeIsLocalWithTheZonesOffset() throws Exception {
        java.util.TimeZone was = java.util.TimeZone.getDefault();
        String out;
        try {
            // ZoneId.systemDefault() is the JVM's zone: TZ or -Duser.timezone on a volunteer's machine, set here.
            java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("Asia/Tokyo"));
            out = Cli.run("status", "--store", store.toString(), "--metrics-listen", nobodyListening()).out();
        } finally {
            java.util.TimeZone.setDefault(was);
        }
        assertThat(out).doesNotContain("UTC");
        assertThat(out).containsPattern("(?m)^Last sweep:  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\+09:00 \\(");
        assertThat(out).containsPattern("(?m)^Next sweep:  about \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\+09:00 \\(every ");
        List<String> rows = out.lines().dropWhile(l -> !l.startsWith("STATE")).skip(1).toList();
        assertThat(rows).hasSize(25).allMatch(l -> l.matches(".* \\d\\d:\\d\\d:\\d\\d \\+09:00  .*"));
        // The same instant as the JSON's (UTC, for scripts), shown nine hours on.
        JsonNode json = new ObjectMapper().readTree(Cli.run("status", "--store", store.toString(), "--json", "--metrics-listen", nobodyListening()).out());
        java.time.Instant last = java.time.Instant.parse(json.path("last_measured").asText());
        assertThat(out).contains("Last sweep:  " + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                .format(last.atZone(java.time.ZoneId.of("Asia/Tokyo"))) + " +09:00 (");
    }

    @Test
    void withAnAgentAnsweringItExits0AndJsonServesScripts() throws Exception {
        try (AgentMetrics metrics = new AgentMetrics("test", "AS0", "ZZ", "test");
                MetricsServer server = new MetricsServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), metrics)) {
            Cli r = Cli.run("status", "--store", store.toString(), "--json", "--metrics-listen", "127.0.0.1:" + server.address().getPort());
            assertThat(r.exit()).as(r.err()).isZero();
            JsonNode status = new ObjectMapper().readTree(r.out());
            assertThat(status.path("agent_running").asBoolean()).isTrue();
            // Two sweeps of 25 targets, each new state confirmed by a second measurement in the first; one port-filtering check.
            assertThat(status.path("measurements").asInt()).isBetween(76, 101);
            assertThat(status.path("network").path("asn").asText()).isEqualTo("AS0");
            assertThat(status.path("targets")).hasSize(25);
            assertThat(status.path("still_open").isNull()).as("online: nothing said of what still works").isTrue();
            assertThat(status.path("dns_intercepted")).singleElement().satisfies(d -> assertThat(d.path("engine").asText()).isEqualTo("udp"));
            assertThat(status.path("targets").findValuesAsText("target")).contains("telegram", "whatsapp", "signal", "facebook_messenger");
            assertThat(status.path("targets").get(0).path("state").asText()).isEqualTo("blocked");
            assertThat(status.path("targets").get(0).path("method").asText()).isNotEmpty();
        }
    }

    @Test
    void withoutAStoreItSaysSoAndExits2WithoutCreatingOne() {
        Path none = tmp.resolve("none.db");
        Cli r = Cli.run("status", "--store", none.toString());
        assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("no store at " + none);
        assertThat(none).doesNotExist();
    }
}
