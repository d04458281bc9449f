package org.blockwatch.core.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import okhttp3.HttpUrl;
import org.blockwatch.core.archival.HttpTransaction;
import org.blockwatch.core.archival.TlsHandshake;
import org.blockwatch.core.ip.Endpoint;
import org.blockwatch.core.ip.IpLiteral;
import org.blockwatch.core.step.StepContext;
import org.blockwatch.core.tcp.TcpConnector;
import org.blockwatch.core.tls.TlsHandshaker;

/**
 * The follow-up that tells throttling by name from a slow line (Xue et al., Twitter 2021): when
 * a handshake with the site's name was slow, or its page arrived at a trickle or stopped, the
 * same address is asked again with a random name under the same top-level domain and with no name
 * at all. A censor that shapes by SNI slows only the first. Two handshakes, no page: bandwidth
 * stays small, and only slow measurements pay for it.
 */
final class SniComparison {
    /** A handshake this slow is worth comparing (an unthrottled one takes tens of milliseconds). */
    static final double SLOW_HANDSHAKE_SECONDS = 0.25;
    /** A body below this rate, over at least {@link #MIN_BODY_BYTES}, is worth comparing too. */
    static final double SLOW_BYTES_PER_SECOND = 64 * 1024;
    static final long MIN_BODY_BYTES = 8 * 1024;

    private SniComparison() {}

    /** The endpoint and name to compare, or null when nothing was slow (or nothing went over TLS). */
    record Slow(Endpoint endpoint, String host) {}

    static Slow slowest(List<TlsHandshake> handshakes, List<HttpTransaction> requests) {
        TlsHandshake slowest = null;
        for (TlsHandshake h : handshakes) {
            // Slow but answered: a stalled or reset handshake is decided without a comparison.
            if (h.serverName().isEmpty() || !h.serverAnswered() || h.t() - h.t0() < SLOW_HANDSHAKE_SECONDS) continue;
            if (slowest == null || h.t() - h.t0() > slowest.t() - slowest.t0()) slowest = h;
        }
        if (slowest != null) {
            Endpoint e = Endpoint.parse(slowest.address()).orElse(null);
            return e == null ? null : new Slow(e, slowest.serverName());
        }
        for (HttpTransaction t : requests) {
            HttpUrl url = HttpUrl.parse(t.url());
            if (url == null || !url.isHttps() || t.response() == null || IpLiteral.parse(url.host()).isPresent()) continue;
            Double body = t.timings().get("body");
            long bytes = t.response().body().length();
            boolean cutShort = t.failure() != null;
            boolean trickle = body != null && body > 0 && bytes >= MIN_BODY_BYTES && bytes / body < SLOW_BYTES_PER_SECOND;
            if (!cutShort && !trickle) continue;
            Endpoint e = Endpoint.parse(t.address()).orElse(null);
            if (e != null) return new Slow(e, url.host());
        }
        return null;
    }

    /** Handshakes with {@code slow}'s address under a random name of the same TLD, and with no name. */
    static List<TlsHandshake> probe(Slow slow, TcpConnector tcp, TlsHandshaker tls, StepContext context) {
        List<TlsHandshake> out = new ArrayList<>();
        for (String name : List.of(randomNameLike(slow.host()), slow.endpoint().ip().getHostAddress())) {
            try (TcpConnector.Connection c = tcp.run(slow.endpoint(), context)) {
                if (c.connected()) out.add(tls.run(new TlsHandshaker.Input(c.socket(), slow.endpoint(), name), context));
            }
        }
        return out;
    }

    /** Ten random letters under the host's top-level domain: {@code qzkvtrwbph.org}. */
    static String randomNameLike(String host) {
        String tld = host.substring(host.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        StringBuilder label = new StringBuilder();
        for (int i = 0; i < 10; i++) label.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
        return label + "." + tld;
    }
}
