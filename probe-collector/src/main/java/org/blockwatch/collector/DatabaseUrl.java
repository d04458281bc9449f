package org.blockwatch.collector;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A collector database's URL as users write it ({@code postgresql://USER[:PASSWORD]@HOST[:PORT]/DB},
 * or {@code postgres://}, as libpq and most hosting services write it), as JDBC takes it, and as
 * logs may show it.
 */
public final class DatabaseUrl {
    private DatabaseUrl() {}

    /** The JDBC URL; a {@code jdbc:} URL is taken as it is. */
    public static String jdbc(String url) {
        if (url.startsWith("jdbc:")) return url;
        if (!url.startsWith("postgresql://") && !url.startsWith("postgres://")) {
            throw new IllegalArgumentException("'" + shown(url) + "' is not a PostgreSQL URL: give postgresql://USER[:PASSWORD]@HOST[:PORT]/DB"
                    + " (or postgres://...)");
        }
        URI u = URI.create(url);
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(u.getHost() == null ? "127.0.0.1" : u.getHost());
        if (u.getPort() > 0) jdbc.append(':').append(u.getPort());
        jdbc.append(u.getRawPath() == null || u.getRawPath().isEmpty() ? "/blockwatch" : u.getRawPath());
        String info = u.getUserInfo();
        String sep = u.getRawQuery() == null ? "?" : "?" + u.getRawQuery() + "&";
        if (info != null) {
            int colon = info.indexOf(':');
            jdbc.append(sep).append("user=").append(URLEncoder.encode(colon < 0 ? info : info.substring(0, colon), StandardCharsets.UTF_8));
            if (colon >= 0) jdbc.append("&password=").append(URLEncoder.encode(info.substring(colon + 1), StandardCharsets.UTF_8));
        } else if (u.getRawQuery() != null) {
            jdbc.append('?').append(u.getRawQuery());
        }
        return jdbc.toString();
    }

    /** The URL with its password masked, for messages. */
    public static String shown(String url) {
        return url.replaceAll("(//[^:/@]*):[^@/]*@", "$1:***@").replaceAll("password=[^&]*", "password=***");
    }
}
