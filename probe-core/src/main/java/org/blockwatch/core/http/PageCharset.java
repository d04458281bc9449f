package org.blockwatch.core.http;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The charset a page's text is in, found as a browser finds it (WHATWG's encoding sniffing, cut
 * down): a byte order mark; the {@code charset} of the {@code Content-Type} header; a {@code <meta
 * charset>} or {@code <meta http-equiv=Content-Type content="...charset=...">} in the first 1024
 * bytes; a sniff of the bytes; and windows-1252, WHATWG's default, when nothing tells.
 *
 * <p>The sniff is deliberately small: valid UTF-8 with some non-ASCII is UTF-8; bytes that look
 * like Cyrillic words (most bytes above 0x7F are letters of 0xC0 to 0xFF next to another such
 * letter) are windows-1251 when lower case letters in windows-1251 (0xE0 to 0xFF) outnumber the
 * others, KOI8-R otherwise (KOI8-R has the cases the other way round, and text is mostly lower
 * case). Everything else gets the default. The sites this matters for are Kazakh and Russian ones
 * that never moved from windows-1251 (or KOI8-R), most of which say so in a header or a meta tag.
 */
public record PageCharset(Charset charset, Source source) {
    /** Where the charset was found. */
    public enum Source { BOM, HEADER, META, SNIFF, DEFAULT }

    /** WHATWG's default for a page that says nothing and sniffs as nothing in particular. */
    public static final Charset DEFAULT = Charset.forName("windows-1252");
    static final int PRESCAN_BYTES = 1024;
    private static final Charset KOI8_R = Charset.forName("KOI8-R");
    private static final Charset WINDOWS_1251 = Charset.forName("windows-1251");
    /** WHATWG labels the JDK reads otherwise: Latin-1 and ASCII labels mean windows-1252 in a browser; UTF-16 in a meta tag means UTF-8. */
    private static final Map<String, Charset> WHATWG_LABELS = Map.of(
            "iso-8859-1", DEFAULT, "latin1", DEFAULT, "l1", DEFAULT, "ascii", DEFAULT, "us-ascii", DEFAULT,
            "x-cp1251", WINDOWS_1251, "koi8", KOI8_R, "unicode-1-1-utf-8", StandardCharsets.UTF_8, "utf8", StandardCharsets.UTF_8);
    private static final Pattern CHARSET_PARAMETER = Pattern.compile("(?i)charset\\s*=\\s*[\"']?([^\"';\\s]+)");
    private static final Pattern META = Pattern.compile("(?is)<!--.*?-->|<meta(?=[\\s/])([^>]*)>");
    private static final Pattern ATTRIBUTE = Pattern.compile("(?is)([^\\s\"'>/=]+)(?:\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s>]+)))?");

    /** The charset of {@code body}, served with {@code contentType} (the header's value, or null). */
    public static PageCharset of(String contentType, byte[] body) {
        Charset bom = bom(body);
        if (bom != null) return new PageCharset(bom, Source.BOM);
        Optional<Charset> header = contentType == null ? Optional.empty() : parameter(contentType).flatMap(PageCharset::forLabel);
        if (header.isPresent()) return new PageCharset(header.get(), Source.HEADER);
        Optional<Charset> meta = prescan(body);
        if (meta.isPresent()) return new PageCharset(meta.get(), Source.META);
        Charset sniffed = sniff(body);
        return sniffed != null ? new PageCharset(sniffed, Source.SNIFF) : new PageCharset(DEFAULT, Source.DEFAULT);
    }

    /** The body as text in this charset (bytes that are not of it become U+FFFD). */
    public String decode(byte[] body) {
        int skip = source == Source.BOM ? bomLength(body) : 0;
        return new String(body, skip, body.length - skip, charset);
    }

    /** The charset a label names as a browser reads it (case and surrounding blanks ignored), or empty when none does. */
    static Optional<Charset> forLabel(String label) {
        String l = label.strip().toLowerCase(Locale.ROOT);
        Charset known = WHATWG_LABELS.get(l);
        if (known != null) return Optional.of(known);
        try {
            return Optional.of(Charset.forName(l));
        } catch (IllegalCharsetNameException | UnsupportedCharsetException unknown) {
            return Optional.empty();
        }
    }

    private static Optional<String> parameter(String contentType) {
        Matcher m = CHARSET_PARAMETER.matcher(contentType);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The meta tags of the first 1024 bytes (comments skipped), read as Latin-1 so that each byte is one char. */
    static Optional<Charset> prescan(byte[] body) {
        String head = new String(body, 0, Math.min(body.length, PRESCAN_BYTES), StandardCharsets.ISO_8859_1);
        Matcher tag = META.matcher(head);
        while (tag.find()) {
            if (tag.group(1) == null) continue; // a comment
            String charset = null;
            String content = null;
            boolean httpEquivContentType = false;
            Matcher a = ATTRIBUTE.matcher(tag.group(1));
            while (a.find()) {
                String name = a.group(1).toLowerCase(Locale.ROOT);
                String value = a.group(2) != null ? a.group(2) : a.group(3) != null ? a.group(3) : a.group(4);
                if (value == null) continue;
                switch (name) {
                    case "charset" -> charset = charset == null ? value : charset;
                    case "content" -> content = content == null ? value : content;
                    case "http-equiv" -> httpEquivContentType |= value.strip().equalsIgnoreCase("content-type");
                    default -> { }
                }
            }
            String label = charset != null ? charset : httpEquivContentType && content != null ? parameter(content).orElse(null) : null;
            if (label == null) continue;
            Optional<Charset> found = forLabel(label);
            if (found.isEmpty()) continue;
            // A page that is read byte by byte cannot be UTF-16; WHATWG reads such a declaration as UTF-8.
            Charset c = found.get();
            if (c.name().startsWith("UTF-16")) c = StandardCharsets.UTF_8;
            return Optional.of(c);
        }
        return Optional.empty();
    }

    /** UTF-8, windows-1251 or KOI8-R when the bytes say so as described above; null when they say nothing. */
    static Charset sniff(byte[] body) {
        int high = 0;
        for (byte b : body) if (b < 0) high++;
        if (high == 0) return null;
        if (validUtf8(body)) return StandardCharsets.UTF_8;
        int inWords = 0;
        int upperHalf = 0; // 0xE0 to 0xFF: lower case in windows-1251, upper case in KOI8-R
        for (int i = 0; i < body.length; i++) {
            int b = body[i] & 0xff;
            if (b < 0xC0) continue;
            boolean neighbour = (i > 0 && (body[i - 1] & 0xff) >= 0xC0) || (i + 1 < body.length && (body[i + 1] & 0xff) >= 0xC0);
            if (!neighbour) continue;
            inWords++;
            if (b >= 0xE0) upperHalf++;
        }
        if (inWords * 2 <= high) return null;
        return upperHalf * 2 > inWords ? WINDOWS_1251 : KOI8_R;
    }

    /** Valid UTF-8, read in one pass; a body cut at the probe's limit may end inside a letter and still is. */
    private static boolean validUtf8(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate(8192);
        while (true) {
            CoderResult r = decoder.decode(in, out, false);
            if (r.isError()) return false;
            if (r.isOverflow()) {
                out.clear();
                continue;
            }
            return true; // underflow: what is left, if anything, is the start of one letter
        }
    }

    private static Charset bom(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF) return StandardCharsets.UTF_8;
        if (b.length >= 2 && (b[0] & 0xff) == 0xFE && (b[1] & 0xff) == 0xFF) return StandardCharsets.UTF_16BE;
        if (b.length >= 2 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xFE) return StandardCharsets.UTF_16LE;
        return null;
    }

    private static int bomLength(byte[] b) {
        return bom(b) == StandardCharsets.UTF_8 ? 3 : bom(b) != null ? 2 : 0;
    }
}
