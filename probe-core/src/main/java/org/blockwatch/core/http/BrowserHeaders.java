package org.blockwatch.core.http;

import java.util.List;

/**
 * The headers a desktop browser sends, so servers (and censors) treat the probe like one.
 * Accept-Encoding is left to OkHttp, which then decodes gzip itself.
 */
public final class BrowserHeaders {
    public static final List<List<String>> HEADERS = List.of(
            List.of("User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"),
            List.of("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
            List.of("Accept-Language", "en-US,en;q=0.9"));

    private BrowserHeaders() {}
}
