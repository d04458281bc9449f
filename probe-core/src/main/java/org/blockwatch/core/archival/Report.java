package org.blockwatch.core.archival;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A set of related measurements, OONI's report: the measurements of one sweep (or one run of
 * {@code measure}) share its id and its {@code test_start_time}. The id has OONI's shape,
 * {@code 20190313T131942Z_AS30722_<random>}, with 256 bits and more from a CSPRNG (bk-003).
 */
public record Report(String id, Instant testStartTime) {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new report started at {@code start} by a probe in {@code asn}. */
    public static Report open(Instant start, String asn) {
        // 50 characters of 62: 297 bits.
        StringBuilder random = new StringBuilder(50);
        for (int i = 0; i < 50; i++) random.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        return new Report(STAMP.format(start) + "_" + asn + "_" + random, start);
    }

    /** No report: a measurement alone, its own test start (report_id empty, as before a collector assigns one). */
    public static Report none(Instant measurementStart) {
        return new Report("", measurementStart);
    }
}
