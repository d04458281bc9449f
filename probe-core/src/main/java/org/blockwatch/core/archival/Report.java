package org.blockwatch.core.archival;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * A set of related measurements, OONI's report: the measurements of one kind in one sweep (or one
 * run of {@code measure}) share its id and its {@code test_start_time}. The id has the shape OONI's
 * backend gives today ({@code generate_report_id} in ooni/backend):
 * {@code 20231030T084713Z_webconnectivity_IT_30722_n1_<random>}: the open time (UTC), the test name
 * without its underscores, the country, the ASN's number, the node ({@code n1}) and the random
 * part. OONI's random part is 96 bits; bk-003 asks for 256 at least from a CSPRNG, so here it is 43
 * letters and digits (256 bits): the shape OONI splits on {@code _} and checks, the strength of bk-003.
 */
public record Report(String id, Instant testStartTime) {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    /** ceil(256 / log2(62)). */
    public static final int RANDOM_CHARACTERS = 43;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new report of {@code testName} started at {@code start} by a probe in {@code cc}, {@code asn} ({@code AS30722}). */
    public static Report open(Instant start, String testName, String cc, String asn) {
        return new Report(id(start, testName, cc, asn), start);
    }

    /** A new report id of OONI's shape (above). */
    public static String id(Instant at, String testName, String cc, String asn) {
        StringBuilder random = new StringBuilder(RANDOM_CHARACTERS);
        for (int i = 0; i < RANDOM_CHARACTERS; i++) random.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        return STAMP.format(at) + "_" + compact(testName) + "_" + country(cc) + "_" + asNumber(asn) + "_n1_" + random;
    }

    /**
     * A test name as OONI's ids carry it: lower case, letters and digits only ({@code web_connectivity}
     * is {@code webconnectivity}), at most 29 characters; {@code unknown} when nothing is left.
     */
    public static String compact(String testName) {
        String s = testName == null ? "" : testName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        if (s.length() > 29) s = s.substring(0, 29);
        return s.isEmpty() ? "unknown" : s;
    }

    /** OONI's {@code ZZ} for a country not known. */
    private static String country(String cc) {
        return cc != null && cc.matches("[A-Za-z]{2}") ? cc.toUpperCase(Locale.ROOT) : "ZZ";
    }

    /** {@code AS30722} or {@code 30722} as 30722; 0 (OONI's AS0) when not known. */
    private static long asNumber(String asn) {
        if (asn == null) return 0;
        String digits = asn.regionMatches(true, 0, "AS", 0, 2) ? asn.substring(2) : asn;
        try {
            return digits.isEmpty() ? 0 : Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** No report: a measurement alone, its own test start (report_id empty, as before a collector assigns one). */
    public static Report none(Instant measurementStart) {
        return new Report("", measurementStart);
    }
}
