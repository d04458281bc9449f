package org.blockwatch.core.http;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The text of a page's first {@code <title>}, whitespace collapsed, or null when it has none. */
public final class HtmlTitle {
    private static final int MAX_CHARS = 512;
    private static final Pattern TITLE = Pattern.compile("<title[^>]*>([^<]{1,4096})</title", Pattern.CASE_INSENSITIVE);

    private HtmlTitle() {}

    public static String extract(byte[] body) {
        // Titles are compared by UTF-8 bytes later; decode leniently (bad bytes become U+FFFD).
        Matcher m = TITLE.matcher(new String(body, StandardCharsets.UTF_8));
        if (!m.find()) return null;
        String title = m.group(1).replaceAll("\\s+", " ").strip();
        if (title.isEmpty()) return null;
        return title.length() > MAX_CHARS ? title.substring(0, MAX_CHARS) : title;
    }
}
