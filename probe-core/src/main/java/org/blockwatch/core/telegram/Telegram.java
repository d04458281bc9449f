package org.blockwatch.core.telegram;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import okhttp3.HttpUrl;
import org.blockwatch.core.apps.AppControl;
import org.blockwatch.core.apps.AppKind;
import org.blockwatch.core.apps.AppResult;
import org.blockwatch.core.apps.AppTrace;
import org.blockwatch.core.apps.AppVerdict;
import org.blockwatch.core.apps.AppVerdict.Finding;
import org.blockwatch.core.apps.Findings;
import org.blockwatch.core.archival.HttpTransaction;
import org.blockwatch.core.archival.TcpConnect;
import org.blockwatch.core.engine.Steps;
import org.blockwatch.core.ip.Endpoint;
import org.blockwatch.core.ip.IpLiteral;
import org.blockwatch.core.nettest.Result;
import org.blockwatch.core.verdict.Verdict;
import org.blockwatch.core.verdict.Verdict.Method;

/**
 * Telegram (OONI's ts-020, probe-cli's {@code telegram} 0.3.1): the app's data centres (the
 * access points of Telegram's desktop client) connected on 80 and 443, each sent an empty HTTP
 * POST as the app's HTTP transport does (plain HTTP on 443 too); then {@code web.telegram.org}
 * fetched over HTTPS.
 *
 * <p>OONI's keys: {@code telegram_tcp_blocking} when no connection to any data centre was
 * accepted, {@code telegram_http_blocking} when no POST drew a response, {@code telegram_web_status}
 * {@code blocked} with its failure when the web client's GET failed (DNS, TCP, TLS or I/O; its
 * status code does not count). The app works when one data centre answers: so a block of 443
 * alone, the POSTs on 80 answered, is not a block of the app. Thread-safe.
 */
public final class Telegram extends AppKind {
    public static final String TEST_NAME = "telegram";
    public static final String TEST_VERSION = "0.3.1";
    private static final Name NAME = new Name(TEST_NAME, TEST_VERSION, InputShape.NONE);

    /** What is measured: the data centres' addresses (each on 80 and 443) and the web client's URL. */
    public record Endpoints(List<String> datacenters, String web) {
        /** ts-020's: the desktop client's access points, and the web client. */
        public static final Endpoints DEFAULT = new Endpoints(List.of("149.154.175.50", "149.154.167.51", "149.154.175.100",
                "149.154.167.91", "149.154.171.5", "95.161.76.100"), "https://web.telegram.org/");

        public Endpoints {
            datacenters = List.copyOf(datacenters);
            if (datacenters.isEmpty()) throw new IllegalArgumentException("telegram: no data centre address given");
            for (String dc : datacenters) {
                if (IpLiteral.parse(dc).isEmpty()) throw new IllegalArgumentException("telegram: data centre '" + dc + "' is not an IP address");
            }
            Findings.requireHttps(TEST_NAME, web);
        }
    }

    static final int[] PORTS = {80, 443};
    private final Endpoints endpoints;

    public Telegram(Steps steps, AppControl control, Endpoints endpoints) {
        super(steps, control);
        this.endpoints = endpoints;
    }

    @Override
    public Name name() {
        return NAME;
    }

    @Override
    public Result measure(String input) {
        check(input);
        Instant start = Instant.now();
        AppTrace trace = trace();
        List<Endpoint> points = new ArrayList<>();
        for (String dc : endpoints.datacenters()) {
            for (int port : PORTS) points.add(new Endpoint(IpLiteral.parse(dc).orElseThrow(), port));
        }
        // The web client beside the data centres, whose dropped connects take a step timeout each.
        CompletableFuture<AppTrace.Page> webPage = CompletableFuture.supplyAsync(() -> trace.page(HttpUrl.get(endpoints.web())), steps.executor());
        List<Access> accesses = trace.all(points, p -> access(trace, p));
        AppTrace.Page web = webPage.join();

        boolean tcpBlocking = accesses.stream().noneMatch(a -> a.connect().success());
        boolean httpBlocking = accesses.stream().noneMatch(a -> a.post() != null && a.post().failure() == null);
        String webFailure = web.failure();

        AppControl.View view = AppControl.notAsked();
        List<Finding> findings = new ArrayList<>();
        if (tcpBlocking || httpBlocking || webFailure != null) {
            List<String> asked = points.stream().map(Endpoint::toString).toList();
            view = control.ask(endpoints.web(), asked);
            if (tcpBlocking || httpBlocking) findings.add(datacentres(accesses, tcpBlocking, view));
            if (webFailure != null) findings.add(Findings.page("its web client " + HttpUrl.get(endpoints.web()).host(), web, view));
        }
        Verdict verdict = AppVerdict.decide("Telegram", findings);

        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("telegram_http_blocking", httpBlocking);
        keys.put("telegram_tcp_blocking", tcpBlocking);
        keys.put("telegram_web_failure", webFailure);
        keys.put("telegram_web_status", webFailure == null ? "ok" : "blocked");
        return new AppResult("", start, since(start), keys, trace.records(), view, verdict);
    }

    /** One data centre's endpoint: the connect, and the POST when it was accepted. */
    private record Access(Endpoint endpoint, TcpConnect connect, HttpTransaction post) {}

    private static Access access(AppTrace trace, Endpoint e) {
        TcpConnect c = trace.connect(e);
        if (!c.success()) return new Access(e, c, null);
        HttpUrl url = new HttpUrl.Builder().scheme("http").host(e.ip().getHostAddress()).port(e.port()).build();
        return new Access(e, c, trace.fetch(url, e.ip(), ""));
    }

    /**
     * The data centres' finding: refused everywhere here, or connected and never answered; the
     * control's connects to the same endpoints say whether they answer from outside.
     */
    private static Finding datacentres(List<Access> accesses, boolean tcpBlocking, AppControl.View view) {
        String failure = tcpBlocking ? accesses.getFirst().connect().failure()
                : accesses.stream().filter(a -> a.post() != null).map(a -> a.post().failure()).findFirst().orElse(null);
        List<String> endpoints = accesses.stream().map(a -> a.endpoint().toString()).toList();
        AppControl.Outside outside = Findings.anyAnswered(endpoints, view);
        String what = tcpBlocking ? "no data centre accepted a connection on port 80 or 443"
                : "the data centres accepted connections but answered no HTTP request";
        return Finding.of(what, tcpBlocking ? Method.TCP_IP : Method.HTTP_FAILURE, failure, outside);
    }
}
