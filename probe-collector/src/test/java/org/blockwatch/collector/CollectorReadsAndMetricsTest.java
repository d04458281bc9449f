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
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import java.util.Set;
import org.blockwatch.sim.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who reads {@code GET /measurements/{uid}} with tokens on (a probe its own, the read token all,
 * a link signed by the database for dashboards), and the collector's own metrics.
 */
class CollectorReadsAndMetricsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final InetSocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final String ALICE = "s3cret-alice-token", BOB = "s3cret-bob-token", READER = "the-read-token-1234";
    private static PostgresServer pg;
    private static CollectorStore store;

    @BeforeAll
    static void start() throws Exception {
        if (!PostgresServer.available()) {
            if ("true".equals(System.getenv("CI"))) throw new AssertionError("CI needs Debian's postgresql (.ci/run installs it)");
            Assumptions.abort("no PostgreSQL on this machine (apt-get install postgresql)");
        }
        pg = PostgresServer.start();
        store = new CollectorStore(pg.jdbcUrl(), 4);
    }

    @AfterAll
    static void stop() throws Exception {
        if (store != null) store.close();
        if (pg != null) pg.close();
    }

    private static HttpResponse<String> send(CollectorServer s, String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.address().getPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) r.header("Authorization", "Bearer " + token);
        return new FreshConnections().send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The status line of a GET sent as raw bytes (for a query string that java.net.URI refuses). */
    private static String rawStatusLine(CollectorServer s, String target) throws Exception {
        try (java.net.Socket socket = new java.net.Socket(InetAddress.getLoopbackAddress(), s.address().getPort())) {
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: collector\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII)).readLine();
        }
    }

    private static String open(CollectorServer s, String token) throws Exception {
        HttpResponse<String> r = send(s, "POST", "/report", "{\"format\":\"json\",\"data_format_version\":\"0.2.0\",\"probe_asn\":\"AS64500\","
                + "\"probe_cc\":\"KZ\",\"software_name\":\"blockwatch\",\"software_version\":\"test\",\"test_name\":\"web_connectivity\"}", token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("report_id").asText();
    }

    private static String submit(CollectorServer s, String report, String uid, String token) throws Exception {
        ObjectNode m = JSON.createObjectNode();
        m.put("data_format_version", "0.2.0").put("input", "https://news.example/").put("measurement_start_time", "2026-12-02 10:00:00")
                .put("test_start_time", "2026-12-02 10:00:00").put("measurement_uid", uid).put("probe_asn", "AS64500").put("probe_cc", "KZ")
                .put("probe_network_name", "LABTEL").put("report_id", report).put("software_name", "blockwatch")
                .put("software_version", "test").put("test_name", "web_connectivity").put("test_version", "0.4.3");
        m.putObject("test_keys").putObject("x_verdict").put("status", "blocked").put("method", "tls").putArray("flags").add("tls_mitm");
        HttpResponse<String> r = send(s, "POST", "/report/" + report, "{\"format\":\"json\",\"content\":" + m + "}", token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return uid;
    }

    /** The query string of a link to {@code uid}, as the evidence dashboard's SQL makes it. */
    private static String link(String uid, String valid) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl()); ResultSet r = c.createStatement().executeQuery(
                "SELECT measurement_link('" + uid + "', interval '" + valid + "')")) {
            r.next();
            return r.getString(1);
        }
    }

    @Test
    void withTokensAProbeReadsItsOwnTheReadTokenAllAndASignedLinkOneUntilItExpires() throws Exception {
        try (CollectorServer s = new CollectorServer(ANY, store, new CollectorServer.Limits(1024 * 1024, 10_000, Map.of("alice", ALICE, "bob", BOB),
                READER, Set.of(), 16L * 1024 * 1024))) {
            String alices = submit(s, open(s, ALICE), "20261202100000.000001_KZ_webconnectivity_00000000000000a1", ALICE);
            String bobs = submit(s, open(s, BOB), "20261202100000.000002_KZ_webconnectivity_00000000000000b1", BOB);
            String path = "/measurements/" + alices;
            assertThat(send(s, "GET", path, null, null).statusCode()).isEqualTo(401);
            assertThat(send(s, "GET", path, null, "wrong-token-wrong-token").statusCode()).isEqualTo(401);
            assertThat(send(s, "GET", path, null, ALICE).statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(send(s, "GET", path, null, ALICE).body()).path("measurement_uid").asText()).isEqualTo(alices);
            assertThat(send(s, "GET", path, null, BOB).statusCode()).isEqualTo(403);
            assertThat(send(s, "GET", "/measurements/" + bobs, null, BOB).statusCode()).isEqualTo(200);
            assertThat(send(s, "GET", path, null, READER).statusCode()).isEqualTo(200);
            assertThat(send(s, "GET", "/measurements/" + bobs, null, READER).statusCode()).isEqualTo(200);
            // The read token reads; it does not submit.
            assertThat(send(s, "POST", "/report", "{}", READER).statusCode()).isEqualTo(401);

            // A link signed by the database (as the dashboard's SQL makes it): that measurement only, until it expires.
            String signed = link(alices, "7 days");
            assertThat(signed).matches("expires=\\d+&sig=[0-9a-f]{64}");
            HttpResponse<String> viaLink = send(s, "GET", path + "?" + signed, null, null);
            assertThat(viaLink.statusCode()).as(viaLink.body()).isEqualTo(200);
            assertThat(JSON.readTree(viaLink.body()).path("measurement_uid").asText()).isEqualTo(alices);
            assertThat(send(s, "GET", "/measurements/" + bobs + "?" + signed, null, null).statusCode()).isEqualTo(401);
            String tampered = signed.replaceFirst("expires=(\\d+)", "expires=9$1");
            assertThat(send(s, "GET", path + "?" + tampered, null, null).statusCode()).isEqualTo(401);
            assertThat(rawStatusLine(s, path + "?expires=1&sig=%zz")).matches("HTTP/1.1 40[01] .*");
            assertThat(send(s, "GET", path + "?sig=" + signed.substring(signed.indexOf("sig=") + 4), null, null).statusCode()).isEqualTo(401);
            HttpResponse<String> expired = send(s, "GET", path + "?" + link(alices, "-2 days"), null, null);
            assertThat(expired.statusCode()).isEqualTo(401);
            assertThat(JSON.readTree(expired.body()).path("error").asText()).contains("expired");
        }
    }

    /**
     * The evidence dashboard as Grafana runs it: its table's SQL (macros and variables expanded as
     * Grafana would) on the collector's database, and the data link of its first row followed with
     * the collector's tokens on, with no Authorization header (Grafana's links cannot send one).
     */
    @Test
    void theEvidenceDashboardsLinkOpensTheMeasurementWithTokensOn() throws Exception {
        JsonNode board = JSON.readTree(Files.readString(Path.of("..", "grafana", "dashboards-postgresql", "blockwatch-evidence.json")));
        // The table whose column links to the collector.
        JsonNode table = null;
        String url = null;
        for (JsonNode p : board.path("panels")) {
            for (JsonNode o : p.path("fieldConfig").path("overrides")) {
                for (JsonNode prop : o.path("properties")) {
                    if (prop.path("id").asText().equals("links") && prop.path("value").get(0).path("url").asText().contains("/measurements/")) {
                        table = p;
                        url = prop.path("value").get(0).path("url").asText();
                    }
                }
            }
        }
        assertThat(url).isNotNull();
        String sql = table.path("targets").get(0).path("rawSql").asText().replace("$__timeFilter(measurement_start_time)", "true")
                .replace("($country)", "('KZ')").replace("($asn)", "('AS64500')").replace("($category)", "('')");
        try (CollectorServer s = new CollectorServer(ANY, store, new CollectorServer.Limits(1024 * 1024, 10_000, Map.of("alice", ALICE), READER, Set.of(),
                16L * 1024 * 1024))) {
            submit(s, open(s, ALICE), "20261202120000.000001_KZ_webconnectivity_00000000000000d1", ALICE);
            String uid, link;
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl()); ResultSet r = c.createStatement().executeQuery(
                    "SELECT measurement_uid, link FROM (" + sql + ") AS panel LIMIT 1")) {
                assertThat(r.next()).isTrue();
                uid = r.getString(1);
                link = r.getString(2);
            }
            String target = url.replace("${collector}", "").replace("${__value.raw}", uid).replace("${__data.fields.link}", link);
            assertThat(target).doesNotContain("${");
            HttpResponse<String> r = send(s, "GET", target, null, null);
            assertThat(r.statusCode()).as(target + ": " + r.body()).isEqualTo(200);
            assertThat(JSON.readTree(r.body()).path("measurement_uid").asText()).isEqualTo(uid);
        }
    }

    private static String metrics(CollectorServer s) throws Exception {
        return send(s, "GET", "/metrics", null, null).body();
    }

    @Test
    void metricsCoverRequestsByRouteAndStatusIngestLatencyAndDatabaseErrorsFromZero() throws Exception {
        try (CollectorServer s = new CollectorServer(ANY, store, new CollectorServer.Limits(1024 * 1024, 10_000, Map.of()))) {
            String before = metrics(s);
            // Present at 0 before any request of their kind.
            assertThat(before).contains("blockwatch_collector_requests_total{route=\"/report/{report_id}\",status=\"200\"} 0.0")
                    .contains("blockwatch_collector_requests_total{route=\"/measurements/{measurement_uid}\",status=\"401\"} 0.0")
                    .contains("blockwatch_collector_submissions_total{result=\"stored\"} 0.0")
                    .contains("blockwatch_collector_submissions_total{result=\"repeat\"} 0.0")
                    .contains("blockwatch_collector_submissions_total{result=\"rejected\"} 0.0")
                    .contains("blockwatch_collector_submissions_total{result=\"failed\"} 0.0")
                    .contains("blockwatch_collector_database_errors_total{route=\"/report/{report_id}\"} 0.0")
                    .contains("blockwatch_collector_ingest_seconds_count 0");
            String report = open(s, null);
            submit(s, report, "20261202110000.000001_KZ_webconnectivity_00000000000000c1", null);
            submit(s, report, "20261202110000.000001_KZ_webconnectivity_00000000000000c1", null);
            assertThat(send(s, "GET", "/measurements/nosuchmeasurement", null, null).statusCode()).isEqualTo(404);
            assertThat(send(s, "GET", "/nothing/here", null, null).statusCode()).isEqualTo(404);
            String after = metrics(s);
            // Routes are templates, never the ids of the paths.
            assertThat(after).contains("blockwatch_collector_requests_total{route=\"/report\",status=\"200\"} 1.0")
                    .contains("blockwatch_collector_requests_total{route=\"/report/{report_id}\",status=\"200\"} 2.0")
                    .contains("blockwatch_collector_requests_total{route=\"/measurements/{measurement_uid}\",status=\"404\"} 1.0")
                    .contains("blockwatch_collector_requests_total{route=\"other\",status=\"404\"} 1.0")
                    .contains("blockwatch_collector_submissions_total{result=\"stored\"} 1.0")
                    .contains("blockwatch_collector_submissions_total{result=\"repeat\"} 1.0")
                    .contains("blockwatch_collector_ingest_seconds_count 2")
                    .contains("blockwatch_collector_ingest_seconds_bucket{le=\"+Inf\"} 2")
                    .doesNotContain(report).doesNotContain("nosuchmeasurement");
        }
        // A database that fails: counted by route.
        CollectorStore broken = new CollectorStore(pg.jdbcUrl(), 2);
        try (CollectorServer s = new CollectorServer(ANY, broken, new CollectorServer.Limits(1024 * 1024, 10_000, Map.of()))) {
            broken.close();
            assertThat(send(s, "POST", "/report", "{\"format\":\"json\",\"probe_asn\":\"AS64500\",\"probe_cc\":\"KZ\",\"software_name\":\"b\","
                    + "\"software_version\":\"t\",\"test_name\":\"web_connectivity\"}", null).statusCode()).isEqualTo(500);
            assertThat(metrics(s)).contains("blockwatch_collector_database_errors_total{route=\"/report\"} 1.0")
                    .contains("blockwatch_collector_requests_total{route=\"/report\",status=\"500\"} 1.0");
        }
    }
}
