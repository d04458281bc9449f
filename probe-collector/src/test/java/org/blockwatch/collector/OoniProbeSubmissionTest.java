package org.blockwatch.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import org.blockwatch.sim.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an OONI probe sends (probe-cli's probeservices: open a report with the measurement's
 * template, then each measurement, its {@code report_id} set to the collector's, without a
 * {@code measurement_uid}), with a record written by OONI's own code.
 */
class OoniProbeSubmissionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static PostgresServer pg;
    private static CollectorStore store;
    private static CollectorServer server;
    private final FreshConnections http = new FreshConnections();

    @BeforeAll
    static void start() throws Exception {
        if (!PostgresServer.available()) {
            if ("true".equals(System.getenv("CI"))) throw new AssertionError("CI needs Debian's postgresql (.ci/run installs it)");
            Assumptions.abort("no PostgreSQL on this machine (apt-get install postgresql)");
        }
        pg = PostgresServer.start();
        store = new CollectorStore(pg.jdbcUrl(), 4);
        server = new CollectorServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), store,
                new CollectorServer.Limits(4 * 1024 * 1024, 100_000, Map.of()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
        if (store != null) store.close();
        if (pg != null) pg.close();
    }

    /** The record OONI's code wrote (probe-cli's testdata, see ooni/README.md). */
    static ObjectNode ooniRecord() throws Exception {
        try (InputStream in = OoniProbeSubmissionTest.class.getResourceAsStream("/ooni/web_connectivity-ooniprobe.json")) {
            return (ObjectNode) JSON.readTree(in);
        }
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** probe-cli's NewReportTemplate: the fields of the measurement that a report shares. */
    private static String template(JsonNode m) {
        ObjectNode t = JSON.createObjectNode();
        t.put("data_format_version", "0.2.0").put("format", "json");
        for (String f : new String[] {"probe_asn", "probe_cc", "software_name", "software_version", "test_name", "test_start_time", "test_version"}) {
            t.set(f, m.get(f));
        }
        return t.toString();
    }

    @Test
    void anOoniProbesOwnSubmissionIsStoredUnderAUidTheCollectorAssignsAndARepeatIsRecognisedOnce() throws Exception {
        ObjectNode record = ooniRecord();
        assertThat(record.has("measurement_uid")).isFalse();
        HttpResponse<String> opened = post("/report", template(record));
        assertThat(opened.statusCode()).as(opened.body()).isEqualTo(200);
        JsonNode open = JSON.readTree(opened.body());
        // Today's shape (ooni/backend's generate_report_id): time, test name without '_', country, ASN, collector, random.
        String report = open.path("report_id").asText();
        assertThat(report).matches("\\d{8}T\\d{6}Z_webconnectivity_IT_30722_n1_[A-Za-z0-9]{43}");
        assertThat(open.path("supported_formats").toString()).contains("\"json\"");
        record.put("report_id", report); // as probe-cli's SubmitMeasurement does

        String submission = "{\"format\":\"json\",\"content\":" + record + "}";
        HttpResponse<String> r = post("/report/" + report, submission);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String uid = JSON.readTree(r.body()).path("measurement_uid").asText();
        assertThat(uid).matches("\\d{14}\\.\\d{6}_IT_webconnectivity_[0-9a-f]{16}");
        assertThat(JSON.readTree(r.body()).path("measurement_id").asText()).isEqualTo(uid);

        // The answer was lost and the probe sends it again: recognised, the same uid, one row.
        HttpResponse<String> again = post("/report/" + report, submission);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(JSON.readTree(again.body()).path("measurement_uid").asText()).isEqualTo(uid);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl()); ResultSet q = c.createStatement().executeQuery(
                "SELECT count(*), min(measurement_uid) FROM measurements WHERE report_id = '" + report + "'")) {
            q.next();
            assertThat(q.getLong(1)).isEqualTo(1);
            assertThat(q.getString(2)).isEqualTo(uid);
        }

        // Served back: the record as OONI's code wrote it, with the uid added and nothing else changed.
        HttpResponse<String> doc = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + "/measurements/" + uid))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(doc.statusCode()).isEqualTo(200);
        ObjectNode expected = record.deepCopy();
        expected.put("measurement_uid", uid);
        assertThat(JSON.readTree(doc.body())).isEqualTo(expected);
    }

    @Test
    void theSameSubmissionSentManyTimesAtOnceIsStoredOnceAndEveryAnswerNamesItsUid() throws Exception {
        ObjectNode record = ooniRecord();
        record.put("measurement_start_time", "2026-12-03 08:00:00").put("input", "https://at-once.example/");
        String report = JSON.readTree(post("/report", template(record)).body()).path("report_id").asText();
        record.put("report_id", report);
        String submission = "{\"format\":\"json\",\"content\":" + record + "}";
        List<java.util.concurrent.Callable<HttpResponse<String>>> posts = new java.util.ArrayList<>();
        for (int i = 0; i < 24; i++) posts.add(() -> post("/report/" + report, submission));
        java.util.Set<String> uids = new java.util.HashSet<>();
        try (java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(12)) {
            for (java.util.concurrent.Future<HttpResponse<String>> f : pool.invokeAll(posts)) {
                assertThat(f.get().statusCode()).as(f.get().body()).isEqualTo(200);
                uids.add(JSON.readTree(f.get().body()).path("measurement_uid").asText());
            }
        }
        assertThat(uids).hasSize(1);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl()); ResultSet q = c.createStatement().executeQuery(
                "SELECT count(*) FROM measurements WHERE report_id = '" + report + "'")) {
            q.next();
            assertThat(q.getLong(1)).isEqualTo(1);
        }
    }

    @Test
    void aReportOpenedWithTheOldIdShapeStillTakesMeasurements() throws Exception {
        String old = "20261201T120000Z_AS64500_" + "a1B2c3D4e5".repeat(5);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl())) {
            c.createStatement().executeUpdate("INSERT INTO reports (report_id, probe_asn, probe_cc, software_name, software_version, test_name)"
                    + " VALUES ('" + old + "', 'AS64500', 'KZ', 'blockwatch', 'old', 'web_connectivity')");
        }
        ObjectNode m = ooniRecord();
        m.put("report_id", old).put("probe_asn", "AS64500").put("probe_cc", "KZ").put("measurement_start_time", "2026-12-01 12:00:01");
        HttpResponse<String> r = post("/report/" + old, "{\"format\":\"json\",\"content\":" + m + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("measurement_uid").asText()).matches("\\d{14}\\.\\d{6}_KZ_webconnectivity_[0-9a-f]{16}");
    }

    @Test
    void aTestNameOutsideBk003sAlphabetIsRefusedByName() throws Exception {
        HttpResponse<String> r = post("/report", "{\"data_format_version\":\"0.2.0\",\"format\":\"json\",\"probe_asn\":\"AS64500\",\"probe_cc\":\"KZ\","
                + "\"software_name\":\"x\",\"software_version\":\"1\",\"test_name\":\"web connectivity/../\",\"test_version\":\"0.4.3\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).path("error").asText()).contains("test_name");
    }
}
