package org.blockwatch.collector;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed links to one measurement, {@code GET /measurements/{uid}?expires=E&sig=S}: S is the
 * HMAC-SHA256 of {@code uid + "\n" + E} (E in seconds since 1970, UTC) under the collector's key.
 * A Grafana data link cannot send an {@code Authorization} header, so the evidence dashboard's SQL
 * makes these with {@code measurement_link(uid)} (a function of the collector's database, which
 * holds the key); the collector checks them here. Whoever can run that SQL can sign a link to any
 * measurement, which is what reading the database already gives; a link opens one measurement, and
 * only until it expires.
 */
final class MeasurementLinks {
    /** What a link's check found. */
    enum Check { VALID, EXPIRED, INVALID }

    private final byte[] key;

    MeasurementLinks(byte[] key) {
        if (key.length < 32 || key.length > 64) throw new IllegalArgumentException("a link key has 32 to 64 bytes");
        this.key = key.clone();
    }

    /** HMAC's pads of {@code key} (zero-padded to SHA-256's 64-byte block), for the SQL: inner then outer. */
    static byte[][] pads(byte[] key) {
        byte[] inner = new byte[64], outer = new byte[64];
        for (int i = 0; i < 64; i++) {
            byte k = i < key.length ? key[i] : 0;
            inner[i] = (byte) (k ^ 0x36);
            outer[i] = (byte) (k ^ 0x5c);
        }
        return new byte[][] {inner, outer};
    }

    /** The query string of a link to {@code uid} valid until {@code expires}. */
    String sign(String uid, Instant expires) {
        long e = expires.getEpochSecond();
        return "expires=" + e + "&sig=" + HexFormat.of().formatHex(mac(uid, e));
    }

    /** Whether {@code sig} signs {@code uid} until {@code expires} (as sent: digits), and the link has not expired at {@code now}. */
    Check check(String uid, String expires, String sig, Instant now) {
        if (expires == null || sig == null || !expires.matches("\\d{1,12}") || !sig.matches("[0-9a-fA-F]{64}")) return Check.INVALID;
        long e = Long.parseLong(expires);
        if (!MessageDigest.isEqual(mac(uid, e), HexFormat.of().parseHex(sig.toLowerCase(java.util.Locale.ROOT)))) return Check.INVALID;
        return now.getEpochSecond() < e ? Check.VALID : Check.EXPIRED;
    }

    private byte[] mac(String uid, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal((uid + "\n" + expires).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }
}
