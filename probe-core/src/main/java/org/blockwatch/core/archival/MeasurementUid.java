package org.blockwatch.core.archival;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * A measurement's stable id in the shape of OONI's {@code measurement_uid}:
 * {@code 20250401092052.532634_KZ_webconnectivity_e6c6d670ae066991} (time to the microsecond,
 * country, test name without its underscores as OONI writes it, 64 random bits). Given when the
 * measurement is stored, kept with it, exported with it, so a repeat is recognised and a link can
 * point at it.
 */
public final class MeasurementUid {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss.SSSSSS").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private MeasurementUid() {}

    public static String next(Instant at, String cc, String testName) {
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        return STAMP.format(at) + "_" + cc + "_" + testName.replace("_", "") + "_" + HexFormat.of().formatHex(random);
    }

    /**
     * The same shape for a row stored before ids were given (a Web Connectivity measurement: every
     * row then was one): derived from its time and its {@code key} (the row), so every export agrees.
     */
    public static String derived(Instant at, String cc, String key) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest((key + "|" + at).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return STAMP.format(at) + "_" + cc + "_webconnectivity_" + HexFormat.of().formatHex(d, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
