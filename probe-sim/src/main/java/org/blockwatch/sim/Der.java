package org.blockwatch.sim;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The few DER encodings an X.509 certificate needs (X.690). The simulated network signs its own
 * certificates with the JDK's providers; this keeps a cryptography library out of the package every
 * volunteer downloads, for the sake of the demo.
 */
final class Der {
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter GENERALIZED_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

    private Der() {}

    static byte[] sequence(byte[]... parts) {
        return tlv(0x30, concat(parts));
    }

    static byte[] integer(BigInteger value) {
        return tlv(0x02, value.toByteArray());
    }

    static byte[] bool(boolean value) {
        return tlv(0x01, new byte[] {(byte) (value ? 0xff : 0x00)});
    }

    static byte[] octetString(byte[] content) {
        return tlv(0x04, content);
    }

    /** A BIT STRING of whole bytes (no unused bits), as keys and signatures are. */
    static byte[] bitString(byte[] content) {
        return tlv(0x03, concat(new byte[] {0}, content));
    }

    /** A named-bit BIT STRING (KeyUsage): bit 0 is the most significant bit of the first byte. */
    static byte[] namedBits(int... bits) {
        int highest = 0;
        for (int b : bits) highest = Math.max(highest, b);
        byte[] bytes = new byte[highest / 8 + 1];
        for (int b : bits) bytes[b / 8] |= (byte) (0x80 >>> (b % 8));
        int unused = 7 - highest % 8;
        return tlv(0x03, concat(new byte[] {(byte) unused}, bytes));
    }

    static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        base128(out, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
        for (int i = 2; i < arcs.length; i++) base128(out, Long.parseLong(arcs[i]));
        return tlv(0x06, out.toByteArray());
    }

    /** A certificate's time: UTCTime until 2049, GeneralizedTime after (RFC 5280, 4.1.2.5). */
    static byte[] time(Instant t) {
        boolean utc = t.atOffset(ZoneOffset.UTC).getYear() < 2050;
        return tlv(utc ? 0x17 : 0x18, (utc ? UTC_TIME : GENERALIZED_TIME).format(t).getBytes(StandardCharsets.US_ASCII));
    }

    /** A context-specific tag: constructed (explicit) or primitive (implicit, replacing the content's tag). */
    static byte[] tagged(int number, boolean constructed, byte[] content) {
        return tlv((constructed ? 0xa0 : 0x80) | number, content);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(n) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) out.write(n >>> (8 * i));
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static void base128(ByteArrayOutputStream out, long value) {
        int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(value) + 6) / 7);
        for (int i = groups - 1; i >= 0; i--) {
            int b = (int) ((value >>> (7 * i)) & 0x7f);
            out.write(i > 0 ? b | 0x80 : b);
        }
    }
}
