package org.blockwatch.core.engine;

import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import okhttp3.HttpUrl;
import org.blockwatch.core.archival.HttpTransaction;
import org.blockwatch.core.archival.SniProbe;
import org.blockwatch.core.archival.TlsHandshake;
import org.blockwatch.core.dns.Resolution;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.ip.Endpoint;
import org.blockwatch.core.ip.IpLiteral;
import org.blockwatch.core.step.StepContext;
import org.blockwatch.core.tcp.TcpConnector;
import org.blockwatch.core.tls.NameProbe;

/**
 * The follow-ups that compare server names on one address, each probe with its own small budget;
 * a measurement that went well pays for neither.
 *
 * <p>After a slow exchange, the follow-up that tells throttling by name from a slow line (Xue et
 * al., Twitter 2021): when a handshake with the site's name was slow, or its page trickled in,
 * stopped or never came, the same address and page are fetched three more times, one after
 * another: under a random name of the same top-level domain, under no name, and under the site's
 * name again. A censor that shapes by SNI slows only the last; a slow line slows them all; and all
 * three run after the first handshakes of the process, so a cold start slows none. Each reads at
 * most 32 KiB for at most 4 s: bandwidth stays small, and only slow measurements pay for it.
 *
 * <p>After a failed handshake (OONI's {@code sni_blocking}, ts-024, made on the site's own
 * address): when no address of a host completed the handshake with its name, the first address
 * whose handshake failed (a reset, an EOF, a stall, another failure, a certificate that does not
 * fit) is handshaken with again under the same three names, handshakes only. Another name that
 * passes where the site's fails twice proves the name is the trigger; every name failing points
 * at the address; the site's name passing the second time, at a flaky failure. The three run at
 * once, each within 4 s (the step timeout when shorter), since here only the outcome counts, not
 * a time to compare: an address that stalls every name costs one budget, not three.
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

    /** What to handshake with again: the address where the handshake with {@code host} failed. */
    record Failed(Endpoint endpoint, String host) {}

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

    /**
     * The address to handshake with again after {@code stop} could not be reached: the first of
     * {@code resolution}'s addresses (in the order they were tried) where a handshake with the
     * host's name failed; null when none did (no handshake was made, or the host is an address,
     * which leaves no name to compare).
     */
    static Failed failed(HttpUrl stop, Resolution resolution, List<TlsHandshake> handshakes) {
        if (stop == null || !stop.isHttps() || resolution == null || IpLiteral.parse(stop.host()).isPresent()) return null;
        List<TlsHandshake> copy;
        synchronized (handshakes) {
            copy = List.copyOf(handshakes);
        }
        for (String a : resolution.addresses()) {
            Endpoint endpoint = IpLiteral.parse(a).map(ip -> new Endpoint(ip, stop.port())).orElse(null);
            if (endpoint == null) continue;
            boolean failedHere = copy.stream().anyMatch(h -> h.failure() != null && h.serverName().equalsIgnoreCase(stop.host())
                    && Endpoint.parse(h.address()).map(endpoint::equals).orElse(false));
            if (failedHere) return new Failed(endpoint, stop.host());
        }
        return null;
    }

    /** The three names of a comparison, in the order they are recorded: a random name, no name (the address), the site's name. */
    private static List<String> names(Endpoint endpoint, String host) {
        return List.of(randomNameLike(host), endpoint.ip().getHostAddress(), host);
    }

    /** The three fetches of {@code slow}'s page, one after another: a random name, no name, the site's name. */
    static List<SniProbe> probe(Slow slow, TcpConnector tcp, NameProbe names, StepContext context) {
        String host = slow.url().host();
        String hostHeader = slow.url().port() == HttpUrl.defaultPort(slow.url().scheme()) ? host : host + ":" + slow.url().port();
        String path = slow.url().encodedPath() + (slow.url().encodedQuery() == null ? "" : "?" + slow.url().encodedQuery());
        List<SniProbe> out = new ArrayList<>();
        for (String name : names(slow.endpoint(), host)) {
            out.add(probeOne(slow.endpoint(), name, SniProbe.THROTTLING, tcp, names, context,
                    socket -> new NameProbe.Input(socket, slow.endpoint(), name, hostHeader, path, PROBE_BYTES, PROBE_BUDGET)));
        }
        return out;
    }

    /**
     * The three handshakes after {@code failed}, at once: a random name, no name, the site's name.
     * {@code context}'s step timeout bounds each connect (the caller gives it the probe budget).
     */
    static List<SniProbe> probe(Failed failed, TcpConnector tcp, NameProbe names, StepContext context, Executor executor) {
        List<CompletableFuture<SniProbe>> running = new ArrayList<>();
        for (String name : names(failed.endpoint(), failed.host())) {
            running.add(CompletableFuture.supplyAsync(() -> probeOne(failed.endpoint(), name, SniProbe.TLS_FAILURE, tcp, names, context,
                    socket -> NameProbe.Input.handshakeOnly(socket, failed.endpoint(), name, PROBE_BUDGET)), executor));
        }
        return running.stream().map(CompletableFuture::join).toList();
    }

    /** A connect to {@code endpoint} and, when it worked, the probe {@code input} makes of the connection. */
    private static SniProbe probeOne(Endpoint endpoint, String name, String followUp, TcpConnector tcp, NameProbe names, StepContext context,
            Function<Socket, NameProbe.Input> input) {
        try (TcpConnector.Connection c = tcp.run(endpoint, context)) {
            if (!c.connected()) {
                String sni = IpLiteral.parse(name).isPresent() ? "" : name;
                return SniProbe.notConnected(sni, endpoint.toString(), c.record().failure(), c.record().t0(), c.record().t(),
                        c.record().transactionId(), followUp);
            }
            return names.run(input.apply(c.socket()), context);
        }
    }

    /** Ten random letters under the host's top-level domain: {@code qzkvtrwbph.org}. */
    static String randomNameLike(String host) {
        String tld = host.substring(host.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        StringBuilder label = new StringBuilder();
        for (int i = 0; i < 10; i++) label.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
        return label + "." + tld;
    }
}
