package org.blockwatch.core.http;

import java.util.ArrayList;
import java.util.List;
import okhttp3.Cookie;
import okhttp3.CookieJar;
import okhttp3.HttpUrl;

/**
 * The cookies of one URL's redirect chain. Browsers carry cookies across redirects, and some
 * sites loop forever without them; nothing outlives the measurement. Thread-safe.
 */
public final class SessionCookies implements CookieJar {
    private final List<Cookie> cookies = new ArrayList<>();

    @Override
    public synchronized void saveFromResponse(HttpUrl url, List<Cookie> received) {
        for (Cookie c : received) {
            cookies.removeIf(old -> old.name().equals(c.name()) && old.domain().equals(c.domain()) && old.path().equals(c.path()));
            cookies.add(c);
        }
    }

    @Override
    public synchronized List<Cookie> loadForRequest(HttpUrl url) {
        long now = System.currentTimeMillis();
        cookies.removeIf(c -> c.expiresAt() < now);
        return cookies.stream().filter(c -> c.matches(url)).toList();
    }
}
