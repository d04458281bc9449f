package org.blockwatch.collector;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The collector's report ids, in the shape OONI's backend gives today
 * ({@code generate_report_id} in ooni/backend): {@code 20231030T084713Z_webconnectivity_IT_30722_n1_<random>},
 * the open time (UTC), the test name without its underscores, the country, the ASN's number, the
 * collector ({@code n1}) and the random part. OONI's random part is 96 bits; bk-003 asks for 256
 * at least from a CSPRNG, so here it is 43 letters and digits (256 bits): the shape OONI's own
 * backend splits on {@code _} and checks is kept, the strength of bk-003 too. Submissions name a
 * report by any id the collector gave, this shape or the older {@code 20190313T131942Z_AS30722_<random>}.
 */
final class ReportIds {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    /** ceil(256 / log2(62)). */
    static final int RANDOM_CHARACTERS = 43;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** bk-003's alphabet of software_name, software_version and test_name. */
    static final Pattern NAME = Pattern.compile("[0-9A-Za-z_.+-]{1,64}");

    private ReportIds() {}

    /** A new report id, for a report opened at {@code at} by a probe in {@code cc}, {@code asn} ({@code AS30722}). */
    static String next(Instant at, String testName, String cc, String asn) {
        StringBuilder random = new StringBuilder(RANDOM_CHARACTERS);
        for (int i = 0; i < RANDOM_CHARACTERS; i++) random.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        return STAMP.format(at) + "_" + compact(testName) + "_" + cc + "_" + Long.parseLong(asn.substring(2)) + "_n1_" + random;
    }

    /**
     * A test name as OONI's ids carry it: lower case, letters and digits only ({@code web_connectivity}
     * is {@code webconnectivity}), at most 29 characters; {@code unknown} when nothing is left.
     */
    static String compact(String testName) {
        String s = testName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        if (s.length() > 29) s = s.substring(0, 29);
        return s.isEmpty() ? "unknown" : s;
    }
}
