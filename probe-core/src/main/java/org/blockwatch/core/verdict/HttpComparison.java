package org.blockwatch.core.verdict;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.blockwatch.core.archival.HttpTransaction;
import org.blockwatch.core.control.wire.ControlResponse;

/**
 * OONI's comparison of the probe's final response with the control's, field by field; a null
 * field means no opinion.
 */
public record HttpComparison(Boolean bodyLengthMatch, Double bodyProportion, Boolean statusCodeMatch, Boolean headersMatch,
        Boolean titleMatch) {

    static final HttpComparison NONE = new HttpComparison(null, null, null, null, null);

    /**
     * Header names too common to tell two servers apart: OONI's list, and the framing headers
     * (content-length, connection, transfer-encoding, keep-alive), which every HTTP/1.1 response
     * has whoever sent it; with them, a blockpage would "match" the real page's headers.
     */
    static final Set<String> COMMON_HEADERS = Set.of("content-length", "connection", "transfer-encoding", "keep-alive", "date", "content-type", "server", "cache-control", "vary", "set-cookie",
            "location", "expires", "x-powered-by", "content-encoding", "last-modified", "accept-ranges", "pragma",
            "x-frame-options", "etag", "x-content-type-options", "age", "via", "p3p", "x-xss-protection",
            "content-language", "cf-ray", "strict-transport-security", "link", "x-varnish");
    private static final double BODY_PROPORTION_THRESHOLD = 0.7;
    private static final int TITLE_WORD_MIN_BYTES = 5;

    public static HttpComparison compare(HttpTransaction.Response probe, ControlResponse.HttpRequest control) {
        if (probe == null || control == null || !control.succeeded()) return NONE;
        long controlLength = fullLength(control.bodyLength(), declaredLength(control.headers().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase("content-length")).map(Map.Entry::getValue).findFirst().orElse(null)));
        // A body cut at the limit counts by the length its server declared; without one, what arrived is a lower bound.
        long here = probe.bodyIsTruncated() ? declaredLength(probe.headersList().first("Content-Length")) : probe.body().length();
        boolean known = here >= probe.body().length();
        Double proportion = bodyProportion(known ? here : probe.body().length(), !known, controlLength);
        Boolean lengthMatch = proportion != null ? Boolean.valueOf(proportion > BODY_PROPORTION_THRESHOLD)
                // A control page far shorter than what already arrived here is a difference all the same.
                : !known && controlLength > 0 && controlLength <= BODY_PROPORTION_THRESHOLD * probe.body().length() ? Boolean.FALSE : null;
        return new HttpComparison(
                lengthMatch,
                proportion,
                statusCodeMatch(probe.code(), control.statusCode()),
                headersMatch(probe.headersList().lowerCaseNames(), control.headers().keySet()),
                titleMatch(probe.title(), probe.charset(), control.title()));
    }

    /** A Content-Length value, or -1 when there is none or it is not a length. */
    static long declaredLength(String value) {
        if (value == null) return -1;
        try {
            long n = Long.parseLong(value.strip());
            return n >= 0 ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The control's page length: what it read, or what its server declared when it read less (its own body limit). */
    static long fullLength(long read, long declared) {
        return declared > read ? declared : read;
    }

    /** min/max of the two lengths; none when either is empty or the probe's body was cut short. */
    static Double bodyProportion(long probeLength, boolean probeTruncated, long controlLength) {
        if (probeTruncated || probeLength <= 0 || controlLength <= 0) return null;
        return (double) Math.min(probeLength, controlLength) / Math.max(probeLength, controlLength);
    }

    /** No opinion when the control itself did not get a 2xx. */
    static Boolean statusCodeMatch(int probe, int control) {
        if (control / 100 != 2) return null;
        return probe == control;
    }

    /** The uncommon header names overlap; no opinion when neither side has any. */
    static Boolean headersMatch(List<String> probeNames, Set<String> controlNames) {
        Set<String> probe = uncommon(probeNames);
        Set<String> control = uncommon(controlNames);
        if (probe.isEmpty() && control.isEmpty()) return null;
        probe.retainAll(control);
        return !probe.isEmpty();
    }

    private static Set<String> uncommon(java.util.Collection<String> names) {
        Set<String> out = new HashSet<>();
        for (String n : names) {
            String lower = n.toLowerCase(Locale.ROOT);
            if (!COMMON_HEADERS.contains(lower)) out.add(lower);
        }
        return out;
    }

    /**
     * The title comparison of a page whose text is in {@code charset}. Titles are compared as text
     * (a windows-1251 page's title decoded from windows-1251, as blockwatch's own helper decodes
     * it too). OONI's helpers send a title's raw bytes taken as UTF-8: a page in another charset
     * comes back as U+FFFD, and a UTF-8 page whose header says Latin-1 comes back right where the
     * probe reads it as Latin-1. So when the text does not match and the page is not UTF-8, the
     * probe's title is compared as such a helper saw it too (its bytes in the page's charset, read
     * as Go reads them); a different page does not match either way.
     */
    static Boolean titleMatch(String probe, String charset, String control) {
        Boolean asText = titleMatch(probe, control);
        if (probe == null || control == null || charset == null || Boolean.TRUE.equals(asText)) return asText;
        java.nio.charset.Charset pageCharset;
        try {
            pageCharset = java.nio.charset.Charset.forName(charset);
        } catch (IllegalArgumentException unknown) {
            return asText;
        }
        if (pageCharset.equals(StandardCharsets.UTF_8)) return asText;
        Boolean asRawBytes = titleMatch(GoUtf8.decode(probe.getBytes(pageCharset)), control);
        return asRawBytes == null ? asText : asRawBytes;
    }

    /**
     * Every word of the probe's title that is at least five bytes long in UTF-8 (so one Cyrillic
     * letter counts two) is also a word of the control's title, ignoring case.
     */
    static Boolean titleMatch(String probe, String control) {
        if (probe == null || control == null) return null;
        Set<String> controlWords = new HashSet<>();
        for (String w : control.split("\\s+")) controlWords.add(w.toLowerCase(Locale.ROOT));
        boolean anyWord = false;
        for (String w : probe.split("\\s+")) {
            if (w.getBytes(StandardCharsets.UTF_8).length < TITLE_WORD_MIN_BYTES) continue;
            anyWord = true;
            if (!controlWords.contains(w.toLowerCase(Locale.ROOT))) return false;
        }
        return anyWord ? true : null;
    }

    /** OONI: no difference when the status matches and the body length, headers or title match too. */
    boolean sameAsControl() {
        return Boolean.TRUE.equals(statusCodeMatch) && (Boolean.TRUE.equals(bodyLengthMatch)
                || Boolean.TRUE.equals(headersMatch) || Boolean.TRUE.equals(titleMatch));
    }

    /** Whether anything besides the status could be compared: a length, uncommon headers, title words. */
    boolean anyContentEvidence() {
        return bodyLengthMatch != null || headersMatch != null || titleMatch != null;
    }

    /** What was compared and differs, for an explanation: "length and title". */
    String differences() {
        List<String> out = new java.util.ArrayList<>();
        if (Boolean.FALSE.equals(bodyLengthMatch)) out.add("length");
        if (Boolean.FALSE.equals(headersMatch)) out.add("header names");
        if (Boolean.FALSE.equals(titleMatch)) out.add("title");
        return out.isEmpty() ? "contents" : String.join(" and ", out);
    }

    /** With a non-2xx control there is no status opinion; something else must match. */
    boolean anyContentMatch() {
        return Boolean.TRUE.equals(bodyLengthMatch) || Boolean.TRUE.equals(headersMatch) || Boolean.TRUE.equals(titleMatch);
    }
}
