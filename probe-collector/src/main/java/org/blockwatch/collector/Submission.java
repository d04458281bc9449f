package org.blockwatch.collector;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.blockwatch.core.archival.OoniTime;
import org.blockwatch.core.nettest.OoniDocument;

/**
 * A measurement as submitted, checked before anything is stored: a JSON object with OONI's base
 * fields of the right types (df-000). Its {@code measurement_uid} recognises a repeat; an OONI probe
 * sends none (OONI's backend assigns it), and then the collector assigns one as OONI's backend
 * does, {@code 20261207101500.123456_KZ_webconnectivity_<16 hex>} (the time it was received, the
 * country, the test name without underscores, the first 64 bits of the SHA-256 of the content), adds
 * it to the document, and recognises a repeat by the SHA-256 of the content as sent. It is
 * stored under the report of the URL (the collector's); its own {@code report_id} is the probe's,
 * kept in the document as the probe wrote it, so that the document the collector holds is the
 * one the probe stored, byte for byte. The verdict's columns come from {@code x_verdict}, the
 * category from {@code annotations.category_code}.
 */
public record Submission(String uid, Instant start, String reportId, String probeAsn, String probeCc, String networkName, String input,
        String category, Instant testStart, String status, String method, List<String> flags, String json, byte[] contentDigest) {
    private static final DateTimeFormatter RECEIVED = DateTimeFormatter.ofPattern("yyyyMMddHHmmss.SSSSSS").withZone(ZoneOffset.UTC);
    private static final Pattern ASN = Pattern.compile("AS\\d{1,10}");
    private static final Pattern CC = Pattern.compile("[A-Z]{2}");
    private static final Pattern UID = Pattern.compile("[0-9A-Za-z._-]{8,128}");

    /** A submission refused, and why (the collector answers 400 with it). */
    public static final class Invalid extends Exception {
        public Invalid(String message) {
            super(message);
        }
    }

    /** The earliest plausible measurement: no probe measured before 2012 (OONI's first measurements). */
    static final Instant EARLIEST = Instant.parse("2012-01-01T00:00:00Z");

    /** Checks {@code content}, submitted to report {@code reportId}, now. */
    public static Submission check(JsonNode content, String reportId, String json) throws Invalid {
        return check(content, reportId, json, Instant.now());
    }

    /**
     * Checks {@code content}, submitted to report {@code reportId} at {@code now}; {@code json} is
     * its text as stored. A {@code measurement_start_time} before {@link #EARLIEST} or more than a
     * day after {@code now} is refused here, before anything is stored: each month is a partition,
     * and any client could otherwise have the database make thousands of them.
     */
    public static Submission check(JsonNode content, String reportId, String json, Instant now) throws Invalid {
        if (content == null || !content.isObject()) throw new Invalid("content: a JSON object is required");
        boolean assign = !content.has("measurement_uid");
        String uid = assign ? null : text(content, "measurement_uid", UID);
        text(content, "report_id", null);
        String report = reportId;
        String asn = text(content, "probe_asn", ASN);
        String cc = text(content, "probe_cc", CC);
        String testName = text(content, "test_name", null);
        text(content, "software_name", null);
        text(content, "data_format_version", null);
        if (!content.path("test_keys").isObject()) throw new Invalid("content.test_keys: an object is required");
        JsonNode input = content.get("input");
        if (input != null && !input.isNull() && !input.isTextual()) throw new Invalid("content.input: a string or null is required");
        JsonNode network = content.get("probe_network_name");
        if (network != null && !network.isNull() && !network.isTextual()) throw new Invalid("content.probe_network_name: a string is required");
        Instant start = time(content, "measurement_start_time");
        if (start.isBefore(EARLIEST) || start.isAfter(now.plus(java.time.Duration.ofDays(1)))) {
            throw new Invalid("content.measurement_start_time: " + OoniTime.format(start)
                    + " is not a plausible time (from 2012-01-01 to a day from now, UTC)");
        }
        Instant testStart = time(content, "test_start_time");
        JsonNode verdict = content.path("test_keys").path(OoniDocument.VERDICT_KEY);
        List<String> flags = new ArrayList<>();
        if (verdict.path("flags").isArray()) verdict.path("flags").forEach(f -> flags.add(clean(f.asText())));
        byte[] digest = null;
        if (assign) {
            digest = sha256(json);
            uid = RECEIVED.format(now) + "_" + cc + "_" + ReportIds.compact(testName) + "_" + HexFormat.of().formatHex(digest, 0, 8);
            json = withUid(json, uid);
        }
        // Every column without NUL (PostgreSQL's text refuses it), as the document already is: U+FFFD stands for it.
        return new Submission(uid, start, report, asn, cc, network == null || network.isNull() ? "" : clean(network.asText()),
                input == null || input.isNull() ? null : clean(input.asText()), clean(textOrNull(content.path("annotations"), "category_code")), testStart,
                clean(textOrNull(verdict, "status")), clean(textOrNull(verdict, "method")), List.copyOf(flags), json, digest);
    }

    /** Whether the collector assigned the uid (the probe sent none). */
    public boolean assigned() {
        return contentDigest != null;
    }

    /** {@code json}, a JSON object's text, with {@code measurement_uid} as its first member: spliced in, not written out again. */
    static String withUid(String json, String uid) {
        int brace = json.indexOf('{');
        String rest = json.substring(brace + 1);
        boolean empty = rest.strip().equals("}");
        // A uid is made of [0-9A-Za-z._]: no escaping needed.
        return json.substring(0, brace + 1) + "\"measurement_uid\":\"" + uid + "\"" + (empty ? "" : ",") + rest;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** {@code s} with each NUL replaced by U+FFFD; null stays null. */
    public static String clean(String s) {
        return s == null ? null : s.replace('\0', '\uFFFD');
    }

    private static String text(JsonNode content, String field, Pattern pattern) throws Invalid {
        JsonNode v = content.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) throw new Invalid("content." + field + ": a non-empty string is required");
        if (pattern != null && !pattern.matcher(v.asText()).matches()) throw new Invalid("content." + field + ": '" + clip(v.asText()) + "' is not valid");
        return v.asText();
    }

    private static String textOrNull(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isTextual() ? null : v.asText();
    }

    private static Instant time(JsonNode content, String field) throws Invalid {
        String t = text(content, field, null);
        try {
            return OoniTime.parse(t);
        } catch (DateTimeParseException e) {
            throw new Invalid("content." + field + ": '" + clip(t) + "' is not a time like 2026-12-01 12:00:00");
        }
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
