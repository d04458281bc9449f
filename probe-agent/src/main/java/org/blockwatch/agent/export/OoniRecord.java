package org.blockwatch.agent.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.Map;
import org.blockwatch.core.archival.MeasurementJson;
import org.blockwatch.core.archival.MeasurementUid;

/**
 * A stored measurement as OONI's tools take it: blockwatch's own test key {@code verdict} under
 * OONI's experimental prefix ({@code x_verdict}), and, for rows stored before these were kept,
 * a report id and a measurement_uid derived from the row (the same at every export), the
 * {@code test_version} of the layout, an address for {@code client_resolver} and the helper's
 * type from its URL.
 */
public final class OoniRecord {
    private static final DateTimeFormatter OONI_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private OoniRecord() {}

    static String of(String storedJson, String rowId, Instant measuredAt) {
        try {
            return MeasurementJson.mapper().writeValueAsString(tree(storedJson, rowId, measuredAt));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The record as a tree (the uploader sets the collector's report id in it). */
    public static ObjectNode tree(String storedJson, String rowId, Instant measuredAt) {
        ObjectNode m;
        try {
            m = (ObjectNode) MeasurementJson.mapper().readTree(storedJson);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("measurement " + rowId + " in the store is not JSON: " + e.getMessage(), e);
        }
        String cc = m.path("probe_cc").asText("ZZ");
        if (m.path("report_id").asText("").isEmpty()) m.put("report_id", derivedReportId(m, rowId));
        if (m.path("measurement_uid").asText("").isEmpty()) m.put("measurement_uid", MeasurementUid.derived(measuredAt, cc, rowId));
        m.put("test_version", MeasurementJson.TEST_VERSION);
        JsonNode keys = m.get("test_keys");
        if (keys instanceof ObjectNode k) {
            if (k.has("verdict")) k.set("x_verdict", k.remove("verdict"));
            JsonNode resolver = k.get("client_resolver");
            if (resolver != null && resolver.isTextual()) k.put("client_resolver", hostOf(resolver.asText()));
        }
        if (m.get("test_helpers") instanceof ObjectNode helpers) {
            for (Iterator<Map.Entry<String, JsonNode>> i = helpers.fields(); i.hasNext(); ) {
                if (i.next().getValue() instanceof ObjectNode h && h.path("address").asText("").startsWith("http://")) h.put("type", "http");
            }
        }
        return m;
    }

    /** An address without its port ({@code 127.0.0.1:53}, {@code [::1]:53}); anything else as it is. */
    static String hostOf(String address) {
        if (address.startsWith("[")) return address.substring(1, Math.max(1, address.indexOf(']')));
        int colon = address.lastIndexOf(':');
        return colon > 0 && address.indexOf(':') == colon ? address.substring(0, colon) : address;
    }

    /** OONI's shape from the row's test start and network, with 50 characters of a digest of the row: stable, and its own. */
    private static String derivedReportId(ObjectNode m, String rowId) {
        String start = m.path("test_start_time").asText("");
        String stamp;
        try {
            stamp = STAMP.format(LocalDateTime.parse(start, OONI_TIME).atOffset(ZoneOffset.UTC));
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
