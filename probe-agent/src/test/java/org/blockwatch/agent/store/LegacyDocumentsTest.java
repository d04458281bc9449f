package org.blockwatch.agent.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store of schema 3 opened by this blockwatch: every document rewritten once, in its final form. */
class LegacyDocumentsTest {
    @TempDir
    Path tmp;

    @Test
    void anOldStoresDocumentsAreRewrittenOnceInTheirFinalForm() throws Exception {
        Path db = tmp.resolve("old.db");
        String old = "{\"annotations\":{},\"data_format_version\":\"0.2.0\",\"input\":\"https://a.example/\",\"measurement_start_time\":"
                + "\"2026-11-01 10:00:00\",\"test_start_time\":\"2026-11-01 10:00:00\",\"probe_asn\":\"AS9198\",\"probe_cc\":\"KZ\","
                + "\"report_id\":\"\",\"test_helpers\":{\"backend\":{\"address\":\"http://127.0.0.1:8080\",\"type\":\"https\"}},"
                + "\"test_name\":\"web_connectivity\",\"test_version\":\"0.4.2\",\"test_keys\":{\"client_resolver\":\"192.0.2.53:53\","
                + "\"verdict\":{\"status\":\"blocked\",\"method\":\"dns\",\"flags\":[]}}}";
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            for (int v = 0; v < 3; v++) for (String sql : StoreSchema.MIGRATIONS.get(v)) s.execute(sql);
            s.execute("PRAGMA user_version = 3");
            s.execute("INSERT INTO measurements (measured_at, target, category, probe_asn, probe_cc, network, status, method, flags, json)"
                    + " VALUES ('2026-11-01T10:00:00Z', 'https://a.example/', 'NEWS', 'AS9198', 'KZ', '', 'blocked', 'dns', '', '" + old + "')");
            s.execute("INSERT INTO measurements (measured_at, target, category, probe_asn, probe_cc, network, status, method, flags, json)"
                    + " VALUES ('2026-11-01T10:01:00Z', 'https://b.example/', 'NEWS', 'AS9198', 'KZ', '', 'accessible', NULL, '', 'damaged {')");
        }
        try (MeasurementStore store = MeasurementStore.open(db)) {
            assertThat(store.path()).isEqualTo(db);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT json, test_name, measurement_uid FROM measurements ORDER BY id")) {
            r.next();
            JsonNode doc = new ObjectMapper().readTree(r.getString(1));
            assertThat(r.getString(2)).isEqualTo("web_connectivity");
            assertThat(doc.path("test_keys").has("verdict")).isFalse();
            assertThat(doc.path("test_keys").path("x_verdict").path("status").asText()).isEqualTo("blocked");
            assertThat(doc.path("test_keys").path("client_resolver").asText()).isEqualTo("192.0.2.53");
            assertThat(doc.path("test_helpers").path("backend").path("type").asText()).isEqualTo("http");
            assertThat(doc.path("test_version").asText()).isEqualTo("0.4.3");
            assertThat(doc.path("report_id").asText()).matches("20261101T100000Z_AS9198_[A-Za-z0-9]{50}");
            assertThat(doc.path("measurement_uid").asText()).isNotEmpty().isEqualTo(r.getString(3));
            r.next();
            assertThat(r.getString(1)).as("a damaged row is left as it is").isEqualTo("damaged {");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("PRAGMA user_version")) {
            assertThat(r.getInt(1)).isEqualTo(StoreSchema.VERSION);
        }
    }
}
