package org.blockwatch.core.whatsapp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import org.blockwatch.core.apps.AppControl;
import org.blockwatch.core.apps.AppKind;
import org.blockwatch.core.apps.AppResult;
import org.blockwatch.core.apps.AppTrace;
import org.blockwatch.core.apps.AppVerdict;
import org.blockwatch.core.apps.AppVerdict.Finding;
import org.blockwatch.core.apps.Findings;
import org.blockwatch.core.archival.TcpConnect;
import org.blockwatch.core.dns.Resolution;
import org.blockwatch.core.engine.Steps;
import org.blockwatch.core.ip.Endpoint;
import org.blockwatch.core.nettest.Result;
import org.blockwatch.core.verdict.Verdict;
import org.blockwatch.core.verdict.Verdict.Method;

/**
 * WhatsApp (OONI's ts-018, probe-cli's {@code whatsapp} 0.11.0): the app's endpoints
 * {@code e1} to {@code e16.whatsapp.net} resolved and connected on 443 and 5222 (TCP only, as the
 * app tries them until one works), the registration service fetched (a GET of
 * {@code https://v.whatsapp.net/v2/register}), and WhatsApp Web ({@code https://web.whatsapp.com/}).
 *
 * <p>OONI's keys: {@code whatsapp_endpoints_status} {@code blocked} only when no endpoint accepted
 * a connection on either port (the app would find one that works); an endpoint failing on both
 * ports is listed in {@code whatsapp_endpoints_blocked}; {@code whatsapp_endpoints_dns_inconsistent}
 * is always empty (OONI's check is retired); the registration service and the web client are
 * {@code blocked} with their failure when a DNS, TCP, TLS or I/O error ended the GET (the status
 * code does not count). Thread-safe.
 */
public final class WhatsApp extends AppKind {
    public static final String TEST_NAME = "whatsapp";
    public static final String TEST_VERSION = "0.11.0";
    private static final Name NAME = new Name(TEST_NAME, TEST_VERSION, InputShape.NONE);
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");

    /** The endpoints' names (each on {@link #PORTS}), the registration service's URL and the web client's. */
    public record Endpoints(List<String> endpoints, String registration, String web) {
        /** ts-018's: e1 to e16.whatsapp.net, the registration service, WhatsApp Web. */
        public static final Endpoints DEFAULT = new Endpoints(defaultEndpoints(), "https://v.whatsapp.net/v2/register", "https://web.whatsapp.com/");

        public Endpoints {
            endpoints = List.copyOf(endpoints);
            if (endpoints.isEmpty()) throw new IllegalArgumentException("whatsapp: no endpoint given");
            for (String e : endpoints) {
                if (!HOST.matcher(e).matches()) throw new IllegalArgumentException("whatsapp: endpoint '" + e + "' is not a host name or address");
            }
            Findings.requireHttps(TEST_NAME, registration);
            Findings.requireHttps(TEST_NAME, web);
        }

        private static List<String> defaultEndpoints() {
            List<String> out = new ArrayList<>();
            for (int i = 1; i <= 16; i++) out.add("e" + i + ".whatsapp.net");
            return out;
        }
    }

    static final int[] PORTS = {443, 5222};
    private final Endpoints endpoints;

    public WhatsApp(Steps steps, AppControl control, Endpoints endpoints) {
        super(steps, control);
        this.endpoints = endpoints;
    }

    @Override
    public Name name() {
        return NAME;
    }

    /** One endpoint name on one port: the lookup, and the connects made until one worked. */
    private record Attempt(String host, int port, Resolution resolution, List<TcpConnect> connects) {
        boolean connected() {
            return connects.stream().anyMatch(TcpConnect::success);
        }

        String failure() {
            if (connected()) return null;
            if (!connects.isEmpty()) return connects.getFirst().failure();
            return resolution.failure() != null ? resolution.failure() : "dns_no_answer";
        }
    }

    @Override
    public Result measure(String input) {
        check(input);
        Instant start = Instant.now();
        AppTrace trace = trace();
        List<String[]> targets = new ArrayList<>();
        for (String host : endpoints.endpoints()) {
            for (int port : PORTS) targets.add(new String[] {host, Integer.toString(port)});
        }
        // The two pages beside the 32 connects, not after them: connects that are dropped take a step
        // timeout each, and pages left for the end of the measurement's deadline would fail for want of time.
        CompletableFuture<AppTrace.Page> registrationPage = CompletableFuture.supplyAsync(
                () -> trace.page(HttpUrl.get(endpoints.registration())), steps.executor());
        CompletableFuture<AppTrace.Page> webPage = CompletableFuture.supplyAsync(() -> trace.page(HttpUrl.get(endpoints.web())), steps.executor());
        List<Attempt> attempts = trace.all(targets, t -> attempt(trace, t[0], Integer.parseInt(t[1])));
        AppTrace.Page registration = registrationPage.join();
        AppTrace.Page web = webPage.join();

        Set<String> blockedEndpoints = new LinkedHashSet<>();
        for (String host : endpoints.endpoints()) {
            if (attempts.stream().filter(a -> a.host().equals(host)).noneMatch(Attempt::connected)) blockedEndpoints.add(host);
        }
        boolean endpointsBlocked = attempts.stream().noneMatch(Attempt::connected);

        AppControl.View view = AppControl.notAsked();
        List<Finding> findings = new ArrayList<>();
        if (endpointsBlocked || registration.failure() != null || web.failure() != null) {
            // The control's URL is the first page that failed here (it is judged in full), else the web client's.
            boolean webFirst = web.failure() != null || registration.failure() == null;
            String url = webFirst ? endpoints.web() : endpoints.registration();
            // The pages' endpoints first, then the endpoints' on 443: a test helper checks 16 at most, on 80 and 443 only.
            List<String> asked = new ArrayList<>();
            if (registration.endpoint() != null) asked.add(registration.endpoint());
            if (web.endpoint() != null) asked.add(web.endpoint());
            for (Attempt a : attempts) for (TcpConnect c : a.connects()) if (c.port() == 443) asked.add(Endpoint.format(c.ip(), c.port()));
            view = control.ask(url, List.copyOf(new LinkedHashSet<>(asked)));
            if (endpointsBlocked) findings.add(endpointsFinding(attempts, view));
            if (registration.failure() != null) {
                String what = "its registration service " + HttpUrl.get(endpoints.registration()).host();
                findings.add(webFirst ? Findings.otherPage(what, registration, view) : Findings.page(what, registration, view));
            }
            if (web.failure() != null) findings.add(Findings.page("WhatsApp Web " + HttpUrl.get(endpoints.web()).host(), web, view));
        }
        Verdict verdict = AppVerdict.decide("WhatsApp", findings);

        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("registration_server_failure", registration.failure());
        keys.put("registration_server_status", registration.failure() == null ? "ok" : "blocked");
        keys.put("whatsapp_endpoints_blocked", List.copyOf(blockedEndpoints));
        keys.put("whatsapp_endpoints_dns_inconsistent", List.of());
        keys.put("whatsapp_endpoints_status", endpointsBlocked ? "blocked" : "ok");
        keys.put("whatsapp_web_failure", web.failure());
        keys.put("whatsapp_web_status", web.failure() == null ? "ok" : "blocked");
        return new AppResult("", start, since(start), keys, trace.records(), view, verdict);
    }

    private Attempt attempt(AppTrace trace, String host, int port) {
        Resolution r = trace.resolve(host);
        return new Attempt(host, port, r, trace.connectInTurn(r.addresses(), port));
    }

    /**
     * No endpoint connected: by DNS when no name resolved, else at the IP layer. The control's
     * connects to the same addresses say whether they answer from outside; names that did not
     * resolve here give the control nothing to connect to.
     */
    private static Finding endpointsFinding(List<Attempt> attempts, AppControl.View view) {
        boolean noneResolved = attempts.stream().allMatch(a -> a.connects().isEmpty());
        List<String> tried = new ArrayList<>();
        // The control checks 443 only (a helper connects on 80 and 443): 5222 is judged by it.
        for (Attempt a : attempts) for (TcpConnect c : a.connects()) if (c.port() == 443) tried.add(Endpoint.format(c.ip(), c.port()));
        AppControl.Outside outside = tried.isEmpty() ? AppControl.Outside.UNKNOWN : Findings.anyAnswered(tried, view);
        String what = noneResolved ? "no endpoint's name resolved" : "no endpoint accepted a connection on port 443 or 5222";
        return Finding.of(what, noneResolved ? Method.DNS : Method.TCP_IP, attempts.getFirst().failure(), outside);
    }
}
