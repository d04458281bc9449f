package org.blockwatch.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.blockwatch.agent.metrics.AgentMetrics;
import org.blockwatch.agent.schedule.BandwidthBudget;
import org.blockwatch.agent.store.MeasurementStore;
import org.blockwatch.core.nettest.Speed;
import org.blockwatch.agent.store.StoredMeasurement;
import org.blockwatch.agent.upload.CollectorClient;
import org.blockwatch.agent.upload.Uploader;
import org.blockwatch.collector.CollectorServer;
import org.blockwatch.collector.CollectorStore;
import org.blockwatch.core.archival.MeasurementUid;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.archival.Report;
import org.blockwatch.core.verdict.Verdict.Method;
import org.blockwatch.core.verdict.Verdict.Status;
import org.blockwatch.sim.PostgresServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three probes (two on one network) upload to one collector on a real PostgreSQL; the fleet's
 * timelines from the collector's database are the merge of the three stores' timelines.
 */
class FleetExportTest {
    private static final Instant T0 = Instant.parse("2026-11-30T00:00:00Z");

    @TempDir
    Path tmp;

    /**
     * Hourly measurements of two pages and an app (Telegram: OONI's input null, its target its test
     * name) by one probe: news blocked from hour {@code blockedFrom}, Telegram from the hour after.
     */
    private static void probe(MeasurementStore s, ProbeInfo probe, int blockedFrom, int offsetMinutes) throws Exception {
        Report report = Report.open(T0, "web_connectivity", "KZ", probe.asn());
        for (int h = 0; h < 8; h++) {
            for (String target : List.of("https://news.example/", "https://shop.example/", "telegram")) {
                boolean app = target.equals("telegram");
                String testName = app ? "telegram" : "web_connectivity";
                String category = app ? "COMT" : target.contains("news") ? "NEWS" : "COMM";
                Instant at = T0.plus(Duration.ofHours(h)).plus(Duration.ofMinutes(offsetMinutes)).plusSeconds(target.contains("shop") ? 30 : app ? 45 : 0);
                boolean blocked = (target.contains("news") && h >= blockedFrom) || (app && h > blockedFrom);
                String uid = MeasurementUid.next(at, probe.cc(), testName);
                String json = "{\"annotations\":{\"category_code\":\"" + category + "\"},"
                        + "\"data_format_version\":\"0.2.0\",\"input\":" + (app ? "null" : "\"" + target + "\"") + ",\"measurement_start_time\":\"" + org.blockwatch.core.archival.OoniTime.format(at)
                        + "\",\"test_start_time\":\"" + org.blockwatch.core.archival.OoniTime.format(T0) + "\",\"measurement_uid\":\"" + uid + "\",\"probe_asn\":\"" + probe.asn()
                        + "\",\"probe_cc\":\"" + probe.cc() + "\",\"probe_network_name\":\"" + probe.networkName() + "\",\"report_id\":\"" + report.id()
                        + "\",\"software_name\":\"blockwatch\",\"software_version\":\"t\",\"test_name\":\"" + testName + "\",\"test_version\":\"" + (app ? "0.3.1" : "0.4.3") + "\","
                        + "\"test_keys\":{\"x_verdict\":{\"status\":\"" + (blocked ? "blocked" : "accessible") + "\",\"method\":" + (blocked ? "\"tls\"" : "null")
                        + ",\"flags\":[]}}}";
                s.insert(new StoredMeasurement(at, testName, target, category, probe, blocked ? Status.BLOCKED : Status.ACCESSIBLE,
                        blocked ? Method.TLS : null, List.of(), Speed.UNKNOWN, uid, json), true);
            }
        }
    }

    private static String timelines(Exporter e) throws Exception {
        // Whole rows: a store and the collector name a measurement by the same measurement_uid (issue 32).
        StringWriter w = new StringWriter();
        e.writeTo(w);
        return w.toString();
    }

    @Test
    void theFleetsTimelinesFromTheCollectorAreTheMergeOfTheStores() throws Exception {
        if (!PostgresServer.available()) {
            if ("true".equals(System.getenv("CI"))) throw new AssertionError("CI needs Debian's postgresql (.ci/run installs it)");
            Assumptions.abort("no PostgreSQL on this machine (apt-get install postgresql)");
        }
        List<Path> stores = List.of(tmp.resolve("alice.db"), tmp.resolve("bob.db"), tmp.resolve("carol.db"));
        ProbeInfo home = new ProbeInfo("AS64500", "KZ", "LABTEL", "blockwatch", "t");
        ProbeInfo mobile = new ProbeInfo("AS64520", "UZ", "LABMOBILE", "blockwatch", "t");
        try (PostgresServer pg = PostgresServer.start(); CollectorStore db = new CollectorStore(pg.jdbcUrl(), 2);
                CollectorServer collector = new CollectorServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), db,
                        new CollectorServer.Limits(4 << 20, 100_000, Map.of()))) {
            String url = "http://127.0.0.1:" + collector.address().getPort() + "/";
            int[][] plan = {{3, 0}, {5, 20}, {2, 40}};
            ProbeInfo[] networks = {home, home, mobile};
            for (int i = 0; i < 3; i++) {
                try (MeasurementStore s = MeasurementStore.open(stores.get(i)); AgentMetrics metrics = new AgentMetrics("t", "AS0", "ZZ", "")) {
                    probe(s, networks[i], plan[i][0], plan[i][1]);
                    Uploader u = new Uploader(s, new CollectorClient(url, null, Duration.ofSeconds(5)), new BandwidthBudget(Long.MAX_VALUE), metrics,
                            Clock.fixed(T0.plus(Duration.ofDays(1)), ZoneOffset.UTC), new Random(1));
                    assertThat(u.uploadDue().sent()).isEqualTo(24);
                }
            }
            assertThat(db.count()).isEqualTo(72);
            ExportQuery all = new ExportQuery(null, null, List.of(), List.of(), List.of(), Duration.ofHours(3));
            String local = timelines(new Exporter(stores, all, Exporter.Format.TIMELINE_CSV));
            String fleet = timelines(new Exporter(List.of(), pg.url(), all, Exporter.Format.TIMELINE_CSV));
            assertThat(fleet).isEqualTo(local);
            // Rows name their measurements by the uids the collector holds, and the network by its name.
            List<String> lines = List.of(fleet.split("\n"));
            assertThat(lines.getFirst()).startsWith("target,category,probe_asn,probe_cc,probe_network_name,state,method,flags,start,end,measurements,"
                    + "first_measurement_uid,last_measurement_uid,previous_state");
            assertThat(lines).filteredOn(l -> l.startsWith("https://news.example/,NEWS,AS64500,KZ,LABTEL,blocked,tls,")).singleElement().satisfies(l -> {
                String[] cells = l.split(",", -1);
                assertThat(cells[11]).matches("\\d{14}\\.\\d{6}_KZ_webconnectivity_[0-9a-f]+");
                assertThat(cells[13]).isEqualTo("accessible");
            });
            // postgres:// is the same database (issue 32); --asn and --cc select its networks as they do a store's.
            String postgres = pg.url().replace("postgresql://", "postgres://");
            assertThat(timelines(new Exporter(List.of(), postgres, all, Exporter.Format.TIMELINE_CSV))).isEqualTo(fleet);
            ExportQuery uz = new ExportQuery(null, null, List.of(), List.of(), List.of("UZ"), List.of(), List.of(), Duration.ofHours(3));
            ExportQuery mobileAsn = new ExportQuery(null, null, List.of(), List.of("64520"), List.of(), List.of(), List.of(), Duration.ofHours(3));
            String uzRows = timelines(new Exporter(List.of(), postgres, uz, Exporter.Format.TIMELINE_CSV));
            assertThat(uzRows.lines().skip(1)).isNotEmpty().allMatch(l -> l.contains(",AS64520,UZ,LABMOBILE,"));
            assertThat(uzRows).isEqualTo(timelines(new Exporter(stores, uz, Exporter.Format.TIMELINE_CSV)))
                    .isEqualTo(timelines(new Exporter(List.of(), postgres, mobileAsn, Exporter.Format.TIMELINE_CSV)));
            // --target without its trailing slash, on PostgreSQL too.
            ExportQuery noSlash = new ExportQuery(null, null, List.of("https://NEWS.example"), List.of(), List.of(), Duration.ofHours(3));
            String newsRows = timelines(new Exporter(List.of(), postgres, noSlash, Exporter.Format.TIMELINE_CSV));
            assertThat(newsRows.lines().skip(1)).isNotEmpty().allMatch(l -> l.startsWith("https://news.example/,"));
            assertThat(fleet).contains("https://news.example/,NEWS,AS64500,KZ,LABTEL,blocked,tls").contains("AS64520,UZ")
                    .as("an app's timeline under its test name (issue 30)").contains("\ntelegram,COMT,AS64500,KZ,LABTEL,blocked,tls").contains("\ntelegram,COMT,AS64500,KZ,LABTEL,accessible");
            // Filters apply the same way.
            ExportQuery news = new ExportQuery(T0.plus(Duration.ofHours(2)), null, List.of("https://news.example/"), List.of(), List.of(), Duration.ofHours(3));
            assertThat(timelines(new Exporter(List.of(), pg.url(), news, Exporter.Format.TIMELINE_CSV)))
                    .isEqualTo(timelines(new Exporter(stores, news, Exporter.Format.TIMELINE_CSV)));
            ExportQuery telegram = new ExportQuery(null, null, List.of("telegram"), List.of(), List.of(), Duration.ofHours(3));
            String apps = timelines(new Exporter(List.of(), pg.url(), telegram, Exporter.Format.TIMELINE_CSV));
            assertThat(apps).isEqualTo(timelines(new Exporter(stores, telegram, Exporter.Format.TIMELINE_CSV))).contains("telegram,COMT").doesNotContain("news.example");
        }
    }

    /**
     * Issue 29, finding 5: {@code export --from postgresql://... --format ooni-jsonl} over 300
     * documents of 1 MB streams in a heap of 96 MB (it fetched 1,000 rows at once: 300 MB, an
     * {@code OutOfMemoryError}), and a {@code .part} file an earlier export left is gone.
     */
    @Test
    void ooniJsonlFromACollectorStreamsLargeDocumentsInBoundedMemory() throws Exception {
        if (!PostgresServer.available()) {
            if ("true".equals(System.getenv("CI"))) throw new AssertionError("CI needs Debian's postgresql (.ci/run installs it)");
            Assumptions.abort("no PostgreSQL on this machine (apt-get install postgresql)");
        }
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        String filler = "x".repeat(1_000_000);
        int n = 300;
        try (PostgresServer pg = PostgresServer.start(); CollectorStore db = new CollectorStore(pg.jdbcUrl(), 2)) {
            Report report = Report.open(T0, "web_connectivity", "KZ", "AS64500");
            String collectorReport = db.openReport("AS64500", "KZ", "blockwatch", "t", "web_connectivity", null);
            for (int i = 0; i < n; i++) {
                Instant at = T0.plusSeconds(i);
                String uid = MeasurementUid.next(at, "KZ", "web_connectivity");
                String doc = "{\"data_format_version\":\"0.2.0\",\"input\":\"https://site" + i + ".example/\",\"measurement_uid\":\"" + uid
                        + "\",\"measurement_start_time\":\"" + org.blockwatch.core.archival.OoniTime.format(at) + "\",\"probe_asn\":\"AS64500\",\"probe_cc\":\"KZ\",\"report_id\":\""
                        + report.id() + "\",\"software_name\":\"blockwatch\",\"software_version\":\"t\",\"test_name\":\"web_connectivity\","
                        + "\"test_version\":\"0.4.3\",\"test_start_time\":\"" + org.blockwatch.core.archival.OoniTime.format(T0) + "\",\"test_keys\":{\"x_filler\":\"" + filler
                        + "\",\"x_verdict\":{\"status\":\"accessible\"}}}";
                assertThat(db.store(org.blockwatch.collector.Submission.check(json.readTree(doc), collectorReport, doc, T0.plus(Duration.ofDays(1)))))
                        .isTrue();
            }
            Path out = tmp.resolve("all.jsonl");
            Path leftover = tmp.resolve(".all.jsonl1234567890.part");
            Files.writeString(leftover, "an export killed half way");
            String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(javaBin, "-Xmx96m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
                    "org.blockwatch.agent.cli.Main", "export", "--from", pg.url(), "--format", "ooni-jsonl", "--out", out.toString())
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("export.log").toFile()).start();
            int exit = p.waitFor();
            assertThat(exit).as(Files.readString(tmp.resolve("export.log"))).isZero();
            try (java.util.stream.Stream<String> lines = Files.lines(out)) {
                assertThat(lines.count()).isEqualTo(n);
            }
            try (java.util.stream.Stream<Path> files = Files.list(tmp)) {
                assertThat(files.map(f -> f.getFileName().toString())).noneMatch(f -> f.endsWith(".part"));
            }
        }
    }
}
