package org.blockwatch.collector;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Set;
import org.blockwatch.sim.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The collector against the inputs of issue 29 that got through: each refused or stored as documented. */
class CollectorHostileInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final InetSocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static PostgresServer pg;
    private static CollectorStore store;
    private static CollectorServer open;

    @BeforeAll
    static void start() throws Exception {
        if (!PostgresServer.available()) {
            if ("true".equals(System.getenv("CI"))) throw new AssertionError("CI needs Debian's postgresql (.ci/run installs it)");
            Assumptions.abort("no PostgreSQL on this machine (apt-get install postgresql)");
        }
        pg = PostgresServer.start();
        store = new CollectorStore(pg.jdbcUrl(), 4);
        open = new CollectorServer(ANY, store, new CollectorServer.Limits(4 * 1024 * 1024, 100_000, Map.of()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (open != null) open.close();
        if (store != null) store.close();
        if (pg != null) pg.close();
    }

    private HttpResponse<String> send(CollectorServer s, String method, String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.address().getPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(r::header);
        return new FreshConnections().send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String report(CollectorServer s, Map<String, String> headers) throws Exception {
        HttpResponse<String> r = send(s, "POST", "/report", "{\"format\":\"json\",\"probe_asn\":\"AS64500\",\"probe_cc\":\"KZ\","
                + "\"software_name\":\"blockwatch\",\"software_version\":\"test\",\"test_name\":\"web_connectivity\"}", headers);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("report_id").asText();
    }

    private static ObjectNode measurement(String report, String uid, String start) {
        ObjectNode m = JSON.createObjectNode();
        m.put("data_format_version", "0.2.0").put("input", "https://news.example/").put("measurement_start_time", start)
                .put("test_start_time", start).put("measurement_uid", uid).put("probe_asn", "AS64500").put("probe_cc", "KZ")
                .put("probe_network_name", "LABTEL").put("report_id", report).put("software_name", "blockwatch")
                .put("software_version", "test").put("test_name", "web_connectivity").put("test_version", "0.4.3");
        m.putObject("test_keys").putObject("x_verdict").put("status", "blocked").put("method", "tls").putArray("flags").add("tls_mitm");
        return m;
    }

    private HttpResponse<String> submit(CollectorServer s, String report, ObjectNode m, Map<String, String> headers) throws Exception {
        return send(s, "POST", "/report/" + report, "{\"format\":\"json\",\"content\":" + m + "}", headers);
    }

    private static long query(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl()); ResultSet r = c.createStatement().executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void implausibleTimesAreRefusedBeforeAnyPartitionIsMade() throws Exception {
        String report = report(open, Map.of());
        for (String start : List.of("1600-01-01 00:00:00", "2011-12-31 23:59:59", "2999-01-01 00:00:00")) {
            HttpResponse<String> r = submit(open, report, measurement(report, "20261201000000.000001_KZ_webconnectivity_" + start.substring(0, 4), start), Map.of());
            assertThat(r.statusCode()).as(start).isEqualTo(400);
            assertThat(r.body()).contains("measurement_start_time");
        }
        assertThat(query("SELECT count(*) FROM pg_class WHERE relname IN ('measurements_y1600m01', 'measurements_y2011m12', 'measurements_y2999m01')")).isZero();
    }

    @Test
    void aMeasurementUidIsStoredOnceWhateverItsStartTime() throws Exception {
        String report = report(open, Map.of());
        String uid = "20261201170000.000001_KZ_webconnectivity_00000000000000f1";
        assertThat(submit(open, report, measurement(report, uid, "2026-12-01 17:00:00"), Map.of()).statusCode()).isEqualTo(200);
        HttpResponse<String> other = submit(open, report, measurement(report, uid, "2026-11-01 17:00:00"), Map.of());
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(other.body()).path("measurement_id").asText()).isEqualTo(uid);
        assertThat(query("SELECT count(*) FROM measurements WHERE measurement_uid = '" + uid + "'")).isEqualTo(1);
    }

    @Test
    void aNulInAnyIndexedFieldIsStoredAsAReplacementCharacterNeverA400() throws Exception {
        String report = report(open, Map.of());
        String uid = "20261201180000.000001_KZ_webconnectivity_00000000000000f2";
        ObjectNode m = measurement(report, uid, "2026-12-01 18:00:00");
        m.put("probe_network_name", "LAB\0TEL").put("input", "https://news.example/\0");
        m.putObject("annotations").put("category_code", "NE\0WS");
        ((ObjectNode) m.path("test_keys").path("x_verdict")).put("status", "blo\0cked");
        HttpResponse<String> r = submit(open, report, m, Map.of());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(query("SELECT count(*) FROM measurements WHERE measurement_uid = '" + uid + "' AND probe_network_name = 'LAB\uFFFDTEL'"
                + " AND status = 'blo\uFFFDcked' AND category = 'NE\uFFFDWS'")).isEqualTo(1);
    }

    @Test
    void headAndOddPathsAreAnsweredSensibly() throws Exception {
        HttpResponse<String> head = send(open, "HEAD", "/metrics", null, Map.of());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(send(open, "GET", "/nothing-here", null, Map.of()).statusCode()).isEqualTo(404);
        assertThat(send(open, "POST", "/report/odd!id", "{}", Map.of()).statusCode()).isEqualTo(404);
        HttpResponse<String> get = send(open, "GET", "/report/abc", null, Map.of());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).contains("POST");
    }

    @Test
    void wrongTokensCountAgainstTheRateAndReadsNeedAToken() throws Exception {
        try (CollectorServer guarded = new CollectorServer(ANY, store, new CollectorServer.Limits(1024 * 1024, 5, Map.of("alice", "s3cret-alice-token"),
                "the-read-token-1234", Set.of(), 16L * 1024 * 1024))) {
            List<Integer> codes = new ArrayList<>();
            for (int i = 0; i < 7; i++) codes.add(send(guarded, "POST", "/report", "{}", Map.of("Authorization", "Bearer guess-" + i)).statusCode());
            assertThat(codes.subList(0, 5)).containsOnly(401);
            assertThat(codes.subList(5, 7)).containsOnly(429);
        }
        try (CollectorServer guarded = new CollectorServer(ANY, store, new CollectorServer.Limits(1024 * 1024, 100, Map.of("alice", "s3cret-alice-token"),
                "the-read-token-1234", Set.of(), 16L * 1024 * 1024))) {
            Map<String, String> alice = Map.of("Authorization", "Bearer s3cret-alice-token");
            String report = report(guarded, alice);
            String uid = "20261201190000.000001_KZ_webconnectivity_00000000000000f3";
            assertThat(submit(guarded, report, measurement(report, uid, "2026-12-01 19:00:00"), alice).statusCode()).isEqualTo(200);
            assertThat(send(guarded, "GET", "/measurements/" + uid, null, Map.of()).statusCode()).isEqualTo(401);
            // A probe's token reads that probe's own (CollectorReadsAndMetricsTest has the whole matrix).
            assertThat(send(guarded, "GET", "/measurements/" + uid, null, alice).statusCode()).isEqualTo(200);
            assertThat(send(guarded, "GET", "/measurements/" + uid, null, Map.of("Authorization", "Bearer the-read-token-1234")).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void behindATrustedProxyEachForwardedClientHasItsOwnRate() throws Exception {
        try (CollectorServer proxied = new CollectorServer(ANY, store, new CollectorServer.Limits(1024 * 1024, 2, Map.of(), null, Set.of("127.0.0.1"),
                16L * 1024 * 1024))) {
            Map<String, String> a = Map.of("X-Forwarded-For", "198.51.100.1");
            assertThat(send(proxied, "GET", "/measurements/nosuchuid", null, a).statusCode()).isEqualTo(404);
            assertThat(send(proxied, "GET", "/measurements/nosuchuid", null, a).statusCode()).isEqualTo(404);
            assertThat(send(proxied, "GET", "/measurements/nosuchuid", null, a).statusCode()).isEqualTo(429);
            assertThat(send(proxied, "GET", "/measurements/nosuchuid", null, Map.of("X-Forwarded-For", "198.51.100.2")).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aDatabaseThatFailsIsA500ThatIsActuallySent() throws Exception {
        CollectorStore broken = new CollectorStore(pg.jdbcUrl(), 2);
        try (CollectorServer s = new CollectorServer(ANY, broken, new CollectorServer.Limits(1024 * 1024, 100, Map.of()))) {
            broken.close();
            HttpResponse<String> r = send(s, "POST", "/report", "{\"format\":\"json\",\"probe_asn\":\"AS64500\",\"probe_cc\":\"KZ\","
                    + "\"software_name\":\"blockwatch\",\"software_version\":\"test\",\"test_name\":\"web_connectivity\"}", Map.of());
            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(r.body()).contains("the database failed");
        }
    }
}
