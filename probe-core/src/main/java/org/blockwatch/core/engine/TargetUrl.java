package org.blockwatch.core.engine;

import okhttp3.HttpUrl;

/**
 * A URL to measure, as given and as parsed: http or https, any port, IDN hosts converted to
 * their ASCII (xn--) form through IDNA whatever their letter case.
 */
public record TargetUrl(String input, HttpUrl url) {

    /** @throws IllegalArgumentException naming what is wrong with {@code input} */
    public static TargetUrl parse(String input) {
        String trimmed = input == null ? "" : input.strip();
        if (trimmed.isEmpty()) throw new IllegalArgumentException("empty URL");
        int colon = trimmed.indexOf("://");
        if (colon <= 0) throw new IllegalArgumentException("'" + input + "' is not a URL: expected http:// or https://");
        String scheme = trimmed.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("'" + input + "': scheme '" + scheme + "' is not measured, only http and https");
        }
        HttpUrl url = HttpUrl.parse(trimmed);
        if (url == null || url.host().isEmpty()) {
            throw new IllegalArgumentException("'" + input + "' is not a valid URL (bad host or port?)");
        }
        return new TargetUrl(input, url);
    }

    public boolean https() {
        return url.isHttps();
    }

    /** The ASCII host. */
    public String host() {
        return url.host();
    }
}
