package org.blockwatch.core.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import okhttp3.HttpUrl;
import org.blockwatch.core.archival.HttpTransaction;
import org.blockwatch.core.archival.SniProbe;
import org.blockwatch.core.archival.TlsHandshake;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.ip.Endpoint;
import org.blockwatch.core.ip.IpLiteral;
import org.blockwatch.core.step.StepContext;
import org.blockwatch.core.tcp.TcpConnector;
import org.blockwatch.core.tls.NameProbe;

/**
 * The follow-up that tells throttling by name from a slow line (Xue et al., Twitter 2021): when
 * a handshake with the site's name was slow, or its page trickled in, stopped or never came, the
 * same address and page are fetched three more times, one after another: under a random name of
 * the same top-level domain, under no name, and under the site's name again. A censor that shapes
 * by SNI slows only the last; a slow line slows them all; and all three run after the first
 * handshakes of the process, so a cold start slows none. Each reads at most 32 KiB for at most
 * 4 s: bandwidth stays small, and only slow measurements pay for it.
 */
final class SniComparison {
    /** A handshake this slow is worth comparing (an unthrottled one takes tens of milliseconds). */
    static final double SLOW_HANDSHAKE_SECONDS = 0.25;
    /** A body below this rate, over at least {@link #MIN_BODY_BYTES}, is worth comparing too. */
    static final double SLOW_BYTES_PER_SECOND = 64 * 1024;
    static final long MIN_BODY_BYTES = 8 * 1024;
    static final long PROBE_BYTES = 32 * 1024;
    static final Duration PROBE_BUDGET = Duration.ofSeconds(4);

    private SniComparison() {}

    /** What to compare: an HTTPS page on one address. */
    record Slow(Endpoint endpoint, HttpUrl url) {}

    /** The first slow HTTPS exchange worth comparing, or null. */
    static Slow find(List<TlsHandshake> handshakes, List<HttpTransaction> requests) {
        for (HttpTransaction t : requests) {
            HttpUrl url = HttpUrl.parse(t.url());
            if (url == null || !url.isHttps() || IpLiteral.parse(url.host()).isPresent()) continue;
            Endpoint e = Endpoint.parse(t.address()).orElse(null);
            if (e == null) continue;
            if (slow(t) || handshakes.stream().anyMatch(h -> slowWithName(h, e, url.host()))) return new Slow(e, url);
        }
        return null;
    }

    private static boolean slowWithName(TlsHandshake h, Endpoint e, String host) {
        return h.address().equals(e.toString()) && h.serverName().equalsIgnoreCase(host) && h.serverAnswered()
                && h.t() - h.t0() >= SLOW_HANDSHAKE_SECONDS;
    }

    /** The page's own exchange was slow: its handshake, a trickling body, a body cut short, or no answer in time. */
    private static boolean slow(HttpTransaction t) {
        Double handshake = t.timings().get("tls_handshake");
        if (handshake != null && handshake >= SLOW_HANDSHAKE_SECONDS) return true;
        if (t.response() == null) return Failure.GENERIC_TIMEOUT.equals(t.failure());
        if (t.failure() != null) return true;
        Double body = t.timings().get("body");
        long bytes = t.response().body().length();
        return body != null && body > 0 && bytes >= MIN_BODY_BYTES && bytes / body < SLOW_BYTES_PER_SECOND;
    }

    /** The three fetches of {@code slow}'s page: a random name, no name, the site's name. */
    static List<SniProbe> probe(Slow slow, TcpConnector tcp, NameProbe names, StepContext context) {
        String host = slow.url().host();
        String hostHeader = slow.url().port() == HttpUrl.defaultPort(slow.url().scheme()) ? host : host + ":" + slow.url().port();
        String path = slow.url().encodedPath() + (slow.url().encodedQuery() == null ? "" : "?" + slow.url().encodedQuery());
        List<SniProbe> out = new ArrayList<>();
        for (String name : List.of(randomNameLike(host), slow.endpoint().ip().getHostAddress(), host)) {
            try (TcpConnector.Connection c = tcp.run(slow.endpoint(), context)) {
                if (!c.connected()) {
                    String sni = IpLiteral.parse(name).isPresent() ? "" : name;
                    out.add(new SniProbe(sni, slow.endpoint().toString(), 0, 0, 0, c.record().failure(), c.record().t0(), c.record().t(),
                            c.record().transactionId()));
                    continue;
                }
                out.add(names.run(new NameProbe.Input(c.socket(), slow.endpoint(), name, hostHeader, path, PROBE_BYTES, PROBE_BUDGET), context));
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
