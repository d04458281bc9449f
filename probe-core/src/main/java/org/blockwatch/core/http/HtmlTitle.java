package org.blockwatch.core.http;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The text of a page's first {@code <title>}, whitespace collapsed, or null when it has none. */
public final class HtmlTitle {
    private static final int MAX_CHARS = 512;
    private static final Pattern TITLE = Pattern.compile("<title[^>]*>([^<]{1,4096})</title", Pattern.CASE_INSENSITIVE);

    private HtmlTitle() {}

    /** The title of a page served with no {@code Content-Type} charset: its meta tags or its bytes tell the charset. */
    public static String extract(byte[] body) {
        return extract(body, PageCharset.of(null, body));
    }

    /** The title of {@code body} read in {@code charset} (a windows-1251 page read as UTF-8 has a title of U+FFFD). */
    public static String extract(byte[] body, PageCharset charset) {
        return of(charset.decode(body));
    }

    /** The title of a page's text. */
    public static String of(String text) {
        Matcher m = TITLE.matcher(text);
        if (!m.find()) return null;
        String title = m.group(1).replaceAll("\\s+", " ").strip();
        if (title.isEmpty()) return null;
        return title.length() > MAX_CHARS ? title.substring(0, MAX_CHARS) : title;
    }
}
