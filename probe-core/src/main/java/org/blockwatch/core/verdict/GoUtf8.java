package org.blockwatch.core.verdict;

/**
 * Bytes read as UTF-8 the way Go's {@code encoding/json} writes a string: each byte that does not
 * start a valid UTF-8 sequence becomes one U+FFFD. OONI's test helpers take a page's title as raw
 * bytes and send it so; a windows-1251 title reaches the probe as a row of U+FFFD, one per letter.
 */
final class GoUtf8 {
    private GoUtf8() {}

    static String decode(byte[] b) {
        StringBuilder out = new StringBuilder(b.length);
        int i = 0;
        while (i < b.length) {
            int n = sequenceLength(b, i);
            if (n == 0) {
                out.append('\uFFFD');
                i++;
            } else {
                out.append(new String(b, i, n, java.nio.charset.StandardCharsets.UTF_8));
                i += n;
            }
        }
        return out.toString();
    }

    /** The length of the valid UTF-8 sequence at {@code i} (Unicode's table 3-7: no overlong form, no surrogate), 0 when there is none. */
    private static int sequenceLength(byte[] b, int i) {
        int c = b[i] & 0xff;
        if (c < 0x80) return 1;
        int n;
        int lo = 0x80;
        int hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            if (c == 0xE0) lo = 0xA0;
            if (c == 0xED) hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            if (c == 0xF0) lo = 0x90;
            if (c == 0xF4) hi = 0x8F;
        } else {
            return 0;
        }
        if (i + n > b.length) return 0;
        int second = b[i + 1] & 0xff;
        if (second < lo || second > hi) return 0;
        for (int k = 2; k < n; k++) {
            int cont = b[i + k] & 0xff;
            if (cont < 0x80 || cont > 0xBF) return 0;
        }
        return n;
    }
}
