package org.blockwatch.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.blockwatch.sim.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The collector against a real PostgreSQL (Debian's), started by the test. */
class CollectorServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static PostgresServer pg;
    private static CollectorStore store;
    private static CollectorServer server;
    private static CollectorServer guarded;
    private final FreshConnections http = new FreshConnections();

    @BeforeAll
    static void start() throws Exception {
        if (!PostgresServer.available()) {
            if ("true".equals(System.getenv("CI"))) throw new AssertionError("CI needs Debian's postgresql (.ci/run installs it)");
            Assumptions.abort("no PostgreSQL on this machine (apt-get install postgresql)");
        }
        pg = PostgresServer.start();
        store = new CollectorStore(pg.jdbcUrl(), 4);
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        server = new CollectorServer(any, store, new CollectorServer.Limits(4 * 1024 * 1024, 100_000, Map.of()));
        guarded = new CollectorServer(any, store, new CollectorServer.Limits(4 * 1024 * 1024, 100_000, Map.of("alice", "s3cret-a", "bob", "s3cret-b")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (guarded != null) guarded.close();
        if (server != null) server.close();
        if (store != null) store.close();
        if (pg != null) pg.close();
    }

    private HttpResponse<String> post(CollectorServer s, String path, String body, String token) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.address().getPort() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) r.header("Authorization", "Bearer " + token);
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String open(CollectorServer s, String token) throws Exception {
        HttpResponse<String> r = post(s, "/report", "{\"data_format_version\":\"0.2.0\",\"format\":\"json\",\"probe_asn\":\"AS64500\",\"probe_cc\":\"KZ\","
                + "\"software_name\":\"blockwatch\",\"software_version\":\"test\",\"test_name\":\"web_connectivity\",\"test_version\":\"0.4.3\"}", token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("report_id").asText();
    }

    private static ObjectNode measurement(String report, String uid, String start) {
        ObjectNode m = JSON.createObjectNode();
        m.put("data_format_version", "0.2.0").put("input", "https://news.example/").put("measurement_start_time", start)
                .put("test_start_time", start).put("measurement_uid", uid).put("probe_asn", "AS64500").put("probe_cc", "KZ")
                .put("probe_network_name", "LABTEL").put("probe_ip", "127.0.0.1").put("report_id", report).put("software_name", "blockwatch")
                .put("software_version", "test").put("test_name", "web_connectivity").put("test_version", "0.4.3");
        m.putObject("test_keys").putObject("x_verdict").put("status", "blocked").put("method", "tls").putArray("flags").add("tls_mitm");
        return m;
    }

    private static String submission(JsonNode content) {
        return "{\"format\":\"json\",\"content\":" + content + "}";
    }

    private long rows(String where) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl()); ResultSet r = c.createStatement().executeQuery(
                "SELECT count(*) FROM measurements" + where)) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void aMeasurementIsStoredOnceWithItsColumnsInItsMonthsPartitionAndServedByUid() throws Exception {
        String report = open(server, null);
        assertThat(report).matches("\\d{8}T\\d{6}Z_webconnectivity_KZ_64500_n1_[A-Za-z0-9]{43}");
        String uid = "20261201120000.000001_KZ_webconnectivity_00000000000000a1";
        HttpResponse<String> r = post(server, "/report/" + report, submission(measurement(report, uid, "2026-12-01 12:00:00")), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("measurement_id").asText()).isEqualTo(uid);
        // A repeat (its answer was lost): recognised, the same id, one row.
        HttpResponse<String> again = post(server, "/report/" + report, submission(measurement(report, uid, "2026-12-01 12:00:00")), null);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(again.body()).path("measurement_id").asText()).isEqualTo(uid);
        assertThat(rows(" WHERE measurement_uid = '" + uid + "'")).isEqualTo(1);
        // Another month: its own partition.
        String older = "20261115120000.000001_KZ_webconnectivity_00000000000000a2";
        assertThat(post(server, "/report/" + report, submission(measurement(report, older, "2026-11-15 12:00:00")), null).statusCode()).isEqualTo(200);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl()); ResultSet p = c.createStatement().executeQuery(
                "SELECT status, method, flags[1], probe_asn, probe_cc, probe_network_name, input, tableoid::regclass::text FROM measurements"
                        + " WHERE measurement_uid = '" + uid + "'")) {
            assertThat(p.next()).isTrue();
            assertThat(new String[] {p.getString(1), p.getString(2), p.getString(3), p.getString(4), p.getString(5), p.getString(6), p.getString(7),
                    p.getString(8)}).containsExactly("blocked", "tls", "tls_mitm", "AS64500", "KZ", "LABTEL", "https://news.example/",
                    "measurements_y2026m12");
        }
        assertThat(rows(" WHERE tableoid::regclass::text = 'measurements_y2026m11'")).isEqualTo(1);
        HttpResponse<String> doc = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + "/measurements/" + uid))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(doc.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(doc.body()).path("measurement_uid").asText()).isEqualTo(uid);
        assertThat(post(server, "/report/" + report + "/close", "", null).body()).isEqualTo("{\"status\":\"success\"}");
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("blockwatch_collector_ready 1.0").contains("blockwatch_collector_submissions_total{result=\"repeat\"}");
    }

    @Test
    void badSubmissionsAreRefusedByNameAndNothingIsStored() throws Exception {
        String report = open(server, null);
        long before = rows("");
        String uid = "20261201130000.000001_KZ_webconnectivity_00000000000000b1";
        ObjectNode wrongType = measurement(report, uid, "2026-12-01 13:00:00");
        wrongType.put("probe_asn", 64500);
        // A uid there must be of the right form (none at all: the collector assigns one, see OoniProbeSubmissionTest).
        ObjectNode badUid = measurement(report, uid, "2026-12-01 13:00:00");
        badUid.put("measurement_uid", "short");
        ObjectNode badTime = measurement(report, uid, "yesterday");
        // The probe's own report id is kept in its document (the URL names the collector's report); one there must be.
        ObjectNode noReport = measurement(report, uid, "2026-12-01 13:00:00");
        noReport.remove("report_id");
        Object[][] cases = {
            {"{not json", 400, "not JSON"},
            {submission(wrongType), 400, "probe_asn"},
            {submission(badUid), 400, "measurement_uid"},
            {submission(badTime), 400, "measurement_start_time"},
            {submission(noReport), 400, "report_id"},
            {"{\"format\":\"yaml\",\"content\":\"x\"}", 400, "format"},
            {"{\"format\":\"json\",\"content\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}", 413, "at most"},
        };
        for (Object[] c : cases) {
            HttpResponse<String> r = post(server, "/report/" + report, (String) c[0], null);
            assertThat(r.statusCode()).as("%s", ((String) c[0]).substring(0, Math.min(60, ((String) c[0]).length()))).isEqualTo(c[1]);
            assertThat(JSON.readTree(r.body()).path("error").asText()).contains((String) c[2]);
        }
        HttpResponse<String> unknown = post(server, "/report/20261201T000000Z_AS64500_nosuchreport", submission(measurement("x", uid, "2026-12-01 13:00:00")), null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(rows("")).isEqualTo(before);
    }

    @Test
    void withTokensEachProbeNeedsItsOwnAndSubmitsOnlyToItsReports() throws Exception {
        assertThat(post(guarded, "/report", "{}", null).statusCode()).isEqualTo(401);
        assertThat(post(guarded, "/report", "{}", "wrong").statusCode()).isEqualTo(401);
        String alices = open(guarded, "s3cret-a");
        String uid = "20261201140000.000001_KZ_webconnectivity_00000000000000c1";
        HttpResponse<String> asBob = post(guarded, "/report/" + alices, submission(measurement(alices, uid, "2026-12-01 14:00:00")), "s3cret-b");
        assertThat(asBob.statusCode()).isEqualTo(403);
        HttpResponse<String> noToken = post(guarded, "/report/" + alices, submission(measurement(alices, uid, "2026-12-01 14:00:00")), null);
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(rows(" WHERE measurement_uid = '" + uid + "'")).isZero();
        assertThat(post(guarded, "/report/" + alices, submission(measurement(alices, uid, "2026-12-01 14:00:00")), "s3cret-a").statusCode()).isEqualTo(200);
        assertThat(rows(" WHERE measurement_uid = '" + uid + "'")).isEqualTo(1);
    }

    @Test
    void concurrentSubmissionsAreStoredOnceEachAndOneThePostgresqlRefusesFailsAloneWithA400() throws Exception {
        String report = open(server, null);
        int n = 120;
        List<String> uids = new ArrayList<>();
        for (int i = 0; i < n; i++) uids.add(String.format("20261201150000.%06d_KZ_webconnectivity_00000000000000d1", i));
        String refused = "20261201150000.999999_KZ_webconnectivity_00000000000000d1";
        ObjectNode lone = measurement(report, refused, "2026-12-01 15:00:00");
        lone.put("x_body", "LONE");
        String loneText = submission(lone).replace("LONE", "\\ud800"); // a lone surrogate: Jackson takes it, jsonb does not
        List<Callable<HttpResponse<String>>> posts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String body = submission(measurement(report, uids.get(i), "2026-12-01 15:00:00"));
            posts.add(() -> post(server, "/report/" + report, body, null));
            if (i % 4 == 0) posts.add(() -> post(server, "/report/" + report, body, null)); // repeats, possibly in the same batch
            if (i == n / 2) posts.add(() -> post(server, "/report/" + report, loneText, null));
        }
        List<HttpResponse<String>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(32)) {
            for (Future<HttpResponse<String>> f : pool.invokeAll(posts)) answers.add(f.get());
        }
        assertThat(answers.stream().filter(r -> r.statusCode() == 200)).hasSize(n + n / 4);
        HttpResponse<String> bad = answers.stream().filter(r -> r.statusCode() != 200).findFirst().orElseThrow();
        assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).path("error").asText()).contains("the database refuses it");
        assertThat(rows(" WHERE measurement_uid LIKE '20261201150000.%'")).isEqualTo(n);
    }

    @Test
    void aMeasurementWithANulIsStoredWithAReplacementCharacter() throws Exception {
        String report = open(server, null);
        String uid = "20261201160000.000001_KZ_webconnectivity_00000000000000e1";
        ObjectNode m = measurement(report, uid, "2026-12-01 16:00:00");
        m.put("x_body", "before\0after");
        HttpResponse<String> r = post(server, "/report/" + report, submission(m), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl()); ResultSet p = c.createStatement().executeQuery(
                "SELECT doc->>'x_body' FROM measurements WHERE measurement_uid = '" + uid + "'")) {
            assertThat(p.next()).isTrue();
            assertThat(p.getString(1)).isEqualTo("before\uFFFDafter");
        }
    }
}
