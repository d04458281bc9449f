package org.blockwatch.agent.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.blockwatch.core.archival.MeasurementJson;
import org.blockwatch.core.archival.MeasurementUid;
import org.blockwatch.core.archival.OoniTime;
import org.blockwatch.core.ip.Endpoint;
import org.blockwatch.core.nettest.OoniDocument;

/**
 * Stores written before schema 4 kept documents that exports and uploads had to rewrite each
 * time: blockwatch's verdict as {@code verdict}, no report id or measurement_uid in the oldest,
 * {@code client_resolver} with a port, an {@code http://} helper typed {@code https}. Migration 4
 * rewrites each once into the form every document has now ({@link OoniDocument}), so that
 * everything after the store passes documents through unchanged. A row that is not JSON is left
 * as it is (and named in the log by the exporter that meets it).
 */
final class LegacyDocuments {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final int BATCH = 500;

    private LegacyDocuments() {}

    /** Rewrites every row's document, a batch at a time, inside the migration's transaction. */
    static void rewriteAll(Connection db) throws SQLException {
        long after = 0;
        while (true) {
            List<Object[]> rows = new ArrayList<>(BATCH);
            try (PreparedStatement s = db.prepareStatement("SELECT id, measured_at, json, measurement_uid FROM measurements WHERE id > ? ORDER BY id LIMIT "
                    + BATCH)) {
                s.setLong(1, after);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) rows.add(new Object[] {r.getLong(1), r.getString(2), r.getString(3), r.getString(4)});
                }
            }
            if (rows.isEmpty()) return;
            try (PreparedStatement u = db.prepareStatement("UPDATE measurements SET json = ?, measurement_uid = ? WHERE id = ?")) {
                for (Object[] row : rows) {
                    long id = (Long) row[0];
                    after = id;
                    ObjectNode doc = rewritten((String) row[2], String.valueOf(id), Instant.parse((String) row[1]));
                    if (doc == null) continue;
                    u.setString(1, doc.toString());
                    u.setString(2, row[3] != null ? (String) row[3] : doc.path("measurement_uid").asText());
                    u.setLong(3, id);
                    u.addBatch();
                }
                u.executeBatch();
            }
        }
    }

    /** The document in its final form; null for one that is not a JSON object. */
    static ObjectNode rewritten(String storedJson, String rowId, Instant measuredAt) {
        ObjectNode m;
        try {
            if (!(MeasurementJson.mapper().readTree(storedJson) instanceof ObjectNode o)) return null;
            m = o;
        } catch (JsonProcessingException e) {
            return null;
        }
        String cc = m.path("probe_cc").asText("ZZ");
        if (m.path("report_id").asText("").isEmpty()) m.put("report_id", derivedReportId(m, rowId));
        if (m.path("measurement_uid").asText("").isEmpty()) m.put("measurement_uid", MeasurementUid.derived(measuredAt, cc, rowId));
        if (m.path("test_name").asText("").isEmpty()) m.put("test_name", "web_connectivity");
        // Stores before schema 4 wrote 0.4.3's layout under other numbers; every one of them was Web Connectivity.
        m.put("test_version", "0.4.3");
        if (m.get("test_keys") instanceof ObjectNode k) {
            if (k.has("verdict")) k.set(OoniDocument.VERDICT_KEY, k.remove("verdict"));
            JsonNode resolver = k.get("client_resolver");
            if (resolver != null && resolver.isTextual()) {
                String ip = Endpoint.addressOf(resolver.asText());
                if (ip.isEmpty()) k.putNull("client_resolver");
                else k.put("client_resolver", ip);
            }
        }
        if (m.get("test_helpers") instanceof ObjectNode helpers) {
            for (Iterator<Map.Entry<String, JsonNode>> i = helpers.fields(); i.hasNext(); ) {
                if (i.next().getValue() instanceof ObjectNode h && h.path("address").asText("").startsWith("http://")) h.put("type", "http");
            }
        }
        return m;
    }

    /** OONI's shape from the row's test start and network, with 50 characters of a digest of the row: stable, and its own. */
    private static String derivedReportId(ObjectNode m, String rowId) {
        String start = m.path("test_start_time").asText("");
        String stamp;
        try {
            stamp = STAMP.format(OoniTime.parse(start));
        } catch (RuntimeException e) {
            stamp = "19700101T000000Z";
        }
        String asn = m.path("probe_asn").asText("AS0");
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-512");
            byte[] d = sha.digest((start + "|" + asn + "|" + rowId + "|" + m.path("input").asText("")).getBytes(StandardCharsets.UTF_8));
            StringBuilder s = new StringBuilder(stamp).append('_').append(asn).append('_');
            for (int i = 0; i < 50; i++) s.append(ALPHABET.charAt((d[i] & 0xff) % ALPHABET.length()));
            return s.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
