package org.blockwatch.helper;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.blockwatch.core.control.ControlClient;
import org.blockwatch.core.control.wire.ControlResult;
import org.blockwatch.helper.ControlService;
import org.blockwatch.core.dns.ResolverAddress;
import org.blockwatch.core.engine.EngineConfig;
import org.blockwatch.core.engine.TargetUrl;
import org.blockwatch.core.engine.WebEngine;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.ip.Bogons;
import org.blockwatch.core.tls.TrustRoots;
import org.blockwatch.sim.DnsBehaviour;
import org.blockwatch.sim.SimDnsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ControlServerTest {
    private SimDnsServer dns;
    private MockWebServer site;
    private WebEngine engine;
    private final HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        dns = new SimDnsServer().otherwise(DnsBehaviour.answer("127.0.0.1"));
        site = new MockWebServer();
        site.enqueue(new MockResponse.Builder().body("<title>Local</title>").build());
        site.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() {
        if (engine != null) engine.close();
        site.close();
        dns.close();
    }

    /** A control server as the command builds it: private destinations refused unless allowed. */
    private ControlServer server(boolean allowPrivate, ControlServer.Limits limits) throws Exception {
        Bogons bogons = Bogons.DEFAULT;
        engine = new WebEngine(EngineConfig.defaults().withResolver(ResolverAddress.parse(dns.address()))
                .withStepTimeout(Duration.ofSeconds(2))
                .withDestinations(ip -> allowPrivate || !bogons.isBogon(ip.getHostAddress())));
        return new ControlServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new ControlService(engine, bogons), limits);
    }

    private static String url(ControlServer s) {
        return "http://127.0.0.1:" + s.address().getPort() + "/";
    }

    private HttpResponse<String> post(ControlServer s, String body, String token) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url(s))).POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) r.header("Authorization", "Bearer " + token);
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String request(String target) {
        return "{\"http_request\":\"" + target + "\",\"http_request_headers\":{},\"tcp_connect\":[\"127.0.0.1:" + "1\"],\"x_quic_enabled\":false}";
    }

    @Test
    void answersTheClientOnLoopbackWhenPrivateDestinationsAreAllowed() throws Exception {
        try (ControlServer s = server(true, new ControlServer.Limits(4, 100, null))) {
            ControlClient client = new ControlClient(List.of(url(s)), Duration.ofSeconds(10), Duration.ofSeconds(20),
                    TrustRoots.jdkPlus(List.of()), null);
            TargetUrl target = TargetUrl.parse("http://local.test:" + site.getPort() + "/");
            ControlResult r = client.query(target, List.of("127.0.0.1:" + site.getPort()));
            assertThat(r.failure()).isNull();
            assertThat(r.helper()).isEqualTo(url(s));
            assertThat(r.response().dns().addrs()).containsExactly("127.0.0.1");
            assertThat(r.response().tcpConnect().get("127.0.0.1:" + site.getPort()).status()).isTrue();
            assertThat(r.response().httpRequest().statusCode()).isEqualTo(200);
            assertThat(r.response().httpRequest().title()).isEqualTo("Local");
            assertThat(r.response().ipInfo().get("127.0.0.1").flags() & 4).as("loopback is a bogon").isEqualTo(4);
        }
    }

    /** Issue 32: the helper reads a page's title in the page's charset, as the probe does, so the two compare as text. */
    @Test
    void theTitleOfAWindows1251PageIsReadInWindows1251() throws Exception {
        byte[] page = "<html><head><title>Новости Казахстана</title></head></html>".getBytes(java.nio.charset.Charset.forName("windows-1251"));
        try (MockWebServer cp1251 = new MockWebServer(); ControlServer s = server(true, new ControlServer.Limits(4, 100, null))) {
            cp1251.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/html; charset=windows-1251")
                    .body(new okio.Buffer().write(page)).build());
            cp1251.start(InetAddress.getByName("127.0.0.1"), 0);
            ControlClient client = new ControlClient(List.of(url(s)), Duration.ofSeconds(10), Duration.ofSeconds(20),
                    TrustRoots.jdkPlus(List.of()), null);
            ControlResult r = client.query(TargetUrl.parse("http://local.test:" + cp1251.getPort() + "/"), List.of("127.0.0.1:" + cp1251.getPort()));
            assertThat(r.response().httpRequest().title()).isEqualTo("Новости Казахстана");
        }
    }

    @Test
    void refusesPrivateDestinationsByDefault() throws Exception {
        try (ControlServer s = server(false, new ControlServer.Limits(4, 100, null))) {
            HttpResponse<String> literal = post(s, request("http://127.0.0.1:" + site.getPort() + "/"), null);
            assertThat(literal.statusCode()).isEqualTo(403);
            assertThat(literal.body()).contains("destination refused");
            HttpResponse<String> privateIp = post(s, request("http://192.168.1.1/"), null);
            assertThat(privateIp.statusCode()).isEqualTo(403);

            // A name that resolves to loopback: answered, but nothing is contacted.
            ControlClient client = new ControlClient(List.of(url(s)), Duration.ofSeconds(10), Duration.ofSeconds(20), TrustRoots.jdkPlus(List.of()), null);
            ControlResult r = client.query(TargetUrl.parse("http://local.test:" + site.getPort() + "/"), List.of("127.0.0.1:" + site.getPort()));
            assertThat(r.response().httpRequest().failure()).isEqualTo(Failure.DESTINATION_REFUSED);
            assertThat(r.response().tcpConnect()).isEmpty();
            assertThat(site.getRequestCount()).isZero();
        }
    }

    @Test
    void requiresTheBearerTokenWhenConfigured() throws Exception {
        try (ControlServer s = server(true, new ControlServer.Limits(4, 100, "s3cret"))) {
            String body = request("http://local.test:" + site.getPort() + "/");
            assertThat(post(s, body, null).statusCode()).isEqualTo(401);
            assertThat(post(s, body, "wrong").statusCode()).isEqualTo(401);
            assertThat(post(s, body, "s3cret").statusCode()).isEqualTo(200);
            ControlClient withToken = new ControlClient(List.of(url(s)), Duration.ofSeconds(10), Duration.ofSeconds(20), TrustRoots.jdkPlus(List.of()), "s3cret");
            assertThat(withToken.query(TargetUrl.parse("http://local.test:" + site.getPort() + "/"), List.of()).available()).isTrue();
            ControlClient without = new ControlClient(List.of(url(s)), Duration.ofSeconds(10), Duration.ofSeconds(20), TrustRoots.jdkPlus(List.of()), null);
            ControlResult refused = without.query(TargetUrl.parse("http://local.test:" + site.getPort() + "/"), List.of());
            assertThat(refused.available()).isFalse();
            assertThat(refused.failure()).contains("401");
        }
    }

    @Test
    void wrongTokensCountAgainstTheRateLimitSoATokenCannotBeGuessedAtFullSpeed() throws Exception {
        try (ControlServer s = server(true, new ControlServer.Limits(4, 5, "s3cret"))) {
            String body = request("http://local.test:" + site.getPort() + "/");
            List<Integer> codes = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) codes.add(post(s, body, "guess" + i).statusCode());
            assertThat(codes.subList(0, 5)).containsOnly(401);
            assertThat(codes.subList(5, 8)).containsOnly(429);
        }
    }

    private HttpResponse<String> postForwarded(ControlServer s, String forwardedFor) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url(s))).header("X-Forwarded-For", forwardedFor)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void behindATrustedProxyEachForwardedClientHasItsOwnRateAndNobodyElseCanNameOne() throws Exception {
        // The test's requests come from 127.0.0.1: here the trusted proxy.
        try (ControlServer s = server(true, new ControlServer.Limits(4, 4, 2, null, java.util.Set.of("127.0.0.1")))) {
            assertThat(postForwarded(s, "203.0.113.50, 198.51.100.1").statusCode()).isEqualTo(400);
            assertThat(postForwarded(s, "198.51.100.1").statusCode()).isEqualTo(400);
            assertThat(postForwarded(s, "198.51.100.1").statusCode()).as("its third request this minute").isEqualTo(429);
            assertThat(postForwarded(s, "198.51.100.2").statusCode()).as("another client behind the proxy").isEqualTo(400);
        }
        // Without a trusted proxy the header is ignored: every request is the peer's.
        try (ControlServer s = server(true, new ControlServer.Limits(4, 2, null))) {
            assertThat(postForwarded(s, "198.51.100.1").statusCode()).isEqualTo(400);
            assertThat(postForwarded(s, "198.51.100.2").statusCode()).isEqualTo(400);
            assertThat(postForwarded(s, "198.51.100.3").statusCode()).as("the same peer, whatever it claims").isEqualTo(429);
        }
    }

    @Test
    void extraEndpointsAreCheckedOnlyOnTheUrlsPortAnd80And443() throws Exception {
        try (java.net.ServerSocket other = new java.net.ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                ControlServer s = server(true, new ControlServer.Limits(4, 100, null))) {
            ControlClient client = new ControlClient(List.of(url(s)), Duration.ofSeconds(10), Duration.ofSeconds(20), TrustRoots.jdkPlus(List.of()), null);
            String sitePort = "127.0.0.1:" + site.getPort();
            String otherPort = "127.0.0.1:" + other.getLocalPort();
            ControlResult r = client.query(TargetUrl.parse("http://local.test:" + site.getPort() + "/"), List.of(sitePort, otherPort));
            assertThat(r.response().tcpConnect()).containsKey(sitePort).doesNotContainKey(otherPort);
        }
    }

    @Test
    void boundsRequestsAndRejectsWhatIsNotTheProtocol() throws Exception {
        try (ControlServer s = server(true, new ControlServer.Limits(4, 2, null))) {
            assertThat(post(s, "x".repeat(ControlServer.MAX_REQUEST_BYTES + 1), null).statusCode()).isEqualTo(413);
            assertThat(post(s, "not json", null).statusCode()).isEqualTo(400);
            // The third request of this client within the minute is over its rate.
            assertThat(post(s, "{}", null).statusCode()).isEqualTo(429);
            HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(url(s))).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(get.statusCode()).isEqualTo(405);
        }
    }

    @Test
    void beyondItsConcurrencyTheServerSaysBusy() throws Exception {
        try (ControlServer s = server(true, new ControlServer.Limits(1, 1000, null));
                org.blockwatch.sim.FaultServer stall = new org.blockwatch.sim.FaultServer(org.blockwatch.sim.Fault.STALL)) {
            // One measurement that hangs on a stalled server until its 2 s timeout, holding the only slot.
            var first = http.sendAsync(HttpRequest.newBuilder(URI.create(url(s)))
                    .POST(HttpRequest.BodyPublishers.ofString(request("http://stall.test:" + stall.port() + "/"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (stall.accepted() == 0 && System.nanoTime() < deadline) Thread.onSpinWait(); // the first is measuring now
            assertThat(stall.accepted()).isPositive();
            // Another client (this one has its share in flight) finds the server busy.
            HttpClient other = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).localAddress(InetAddress.getByName("127.0.0.2")).build();
            int busy = 0;
            for (int i = 0; i < 200 && busy == 0 && !first.isDone(); i++) {
                HttpRequest r = HttpRequest.newBuilder(URI.create(url(s)))
                        .POST(HttpRequest.BodyPublishers.ofString(request("http://local.test:" + site.getPort() + "/"))).build();
                if (other.send(r, HttpResponse.BodyHandlers.ofString()).statusCode() == 503) busy++;
            }
            assertThat(busy).as("a 503 while the slot was taken").isEqualTo(1);
            assertThat(first.get().statusCode()).isEqualTo(200);
        }
    }

    @Test
    void oneClientHoldsAtMostItsShareOfTheSlotsAndOthersAreStillServed() throws Exception {
        try (ControlServer s = server(true, new ControlServer.Limits(3, 2, 1000, null, java.util.Set.of()));
                org.blockwatch.sim.FaultServer stall = new org.blockwatch.sim.FaultServer(org.blockwatch.sim.Fault.STALL)) {
            // Client 127.0.0.1 holds two slots with measurements of a server that never answers (until the 2 s timeout).
            String stalled = request("http://stall.test:" + stall.port() + "/");
            var held = List.of(
                    http.sendAsync(HttpRequest.newBuilder(URI.create(url(s))).POST(HttpRequest.BodyPublishers.ofString(stalled)).build(),
                            HttpResponse.BodyHandlers.ofString()),
                    http.sendAsync(HttpRequest.newBuilder(URI.create(url(s))).POST(HttpRequest.BodyPublishers.ofString(stalled)).build(),
                            HttpResponse.BodyHandlers.ofString()));
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (s.inFlight("127.0.0.1") < 2 && System.nanoTime() < deadline) Thread.onSpinWait();
            assertThat(s.inFlight("127.0.0.1")).as("both measurements under way").isEqualTo(2);

            // Its third is refused at once, though a slot is free...
            HttpResponse<String> third = post(s, stalled, null);
            assertThat(third.statusCode()).isEqualTo(429);
            assertThat(third.body()).contains("at once from one client");
            // ...which another client gets.
            HttpClient other = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).localAddress(InetAddress.getByName("127.0.0.2")).build();
            HttpResponse<String> theirs = other.send(HttpRequest.newBuilder(URI.create(url(s)))
                    .POST(HttpRequest.BodyPublishers.ofString(request("http://local.test:" + site.getPort() + "/"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(theirs.statusCode()).isEqualTo(200);
            for (var h : held) assertThat(h.get().statusCode()).isEqualTo(200);
            // Its share is back once they are done.
            site.enqueue(new MockResponse.Builder().body("<title>Local</title>").build());
            assertThat(post(s, request("http://local.test:" + site.getPort() + "/"), null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void theNextHelperIsTriedWhenOneFails() throws Exception {
        try (ControlServer s = server(true, new ControlServer.Limits(4, 100, null))) {
            ControlClient client = new ControlClient(List.of("http://127.0.0.1:1/", url(s)), Duration.ofSeconds(10), Duration.ofSeconds(20),
                    TrustRoots.jdkPlus(List.of()), null);
            ControlResult r = client.query(TargetUrl.parse("http://local.test:" + site.getPort() + "/"), List.of());
            assertThat(r.available()).isTrue();
            assertThat(r.helper()).isEqualTo(url(s));
        }
    }

    /**
     * blockwatch's STUN extension, {@code POST /x/stun}: the helper's own binding to each endpoint,
     * through the probe's {@code HelperStunControl}; private destinations refused as for every check.
     */
    @Test
    void theStunExtensionBindsFromTheHelperAndRefusesWhatItRefusesElsewhere() throws Exception {
        int closed;
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        try (org.blockwatch.sim.SimStunServer stun = new org.blockwatch.sim.SimStunServer(InetAddress.getLoopbackAddress(), java.util.Set.of());
                ControlServer s = server(true, new ControlServer.Limits(4, 100, null))) {
            ControlClient client = new ControlClient(List.of("http://127.0.0.1:" + s.address().getPort() + "/"), Duration.ofSeconds(5),
                    Duration.ofSeconds(10), TrustRoots.jdkPlus(List.of()), null);
            org.blockwatch.core.stun.HelperStunControl control = new org.blockwatch.core.stun.HelperStunControl(client);
            var open = control.bind(org.blockwatch.core.stun.StunEndpoint.parse("stun://127.0.0.1:" + stun.address().getPort()));
            assertThat(open.available()).isTrue();
            assertThat(open.failure()).isNull();
            assertThat(stun.answered()).isEqualTo(1);
            var refused = control.bind(org.blockwatch.core.stun.StunEndpoint.parse("stun://127.0.0.1:" + closed));
            assertThat(refused.available()).isTrue();
            assertThat(refused.failure()).isEqualTo(Failure.CONNECTION_REFUSED);
        }
        try (ControlServer s = server(false, new ControlServer.Limits(4, 100, null))) {
            ControlClient client = new ControlClient(List.of("http://127.0.0.1:" + s.address().getPort() + "/"), Duration.ofSeconds(5),
                    Duration.ofSeconds(10), TrustRoots.jdkPlus(List.of()), null);
            var refused = new org.blockwatch.core.stun.HelperStunControl(client).bind(org.blockwatch.core.stun.StunEndpoint.parse("stun://127.0.0.1:3478"));
            assertThat(refused.failure()).isEqualTo(Failure.DESTINATION_REFUSED);
        }
    }

    /** A helper without the extension (OONI's answer 404): the probe has no STUN control, and says why. */
    @Test
    void aHelperWithoutTheStunExtensionLeavesTheControlUnavailable() throws Exception {
        try (MockWebServer ooni = new MockWebServer()) {
            ooni.enqueue(new MockResponse.Builder().code(404).body("{}").build());
            ooni.start(InetAddress.getLoopbackAddress(), 0);
            ControlClient client = new ControlClient(List.of("http://127.0.0.1:" + ooni.getPort() + "/"), Duration.ofSeconds(5),
                    Duration.ofSeconds(10), TrustRoots.jdkPlus(List.of()), null);
            var none = new org.blockwatch.core.stun.HelperStunControl(client).bind(org.blockwatch.core.stun.StunEndpoint.parse("stun://127.0.0.1:3478"));
            assertThat(none.available()).isFalse();
            assertThat(none.controlFailure()).contains("HTTP 404").contains("does not measure STUN");
            assertThat(ooni.takeRequest().getUrl().encodedPath()).isEqualTo("/x/stun");
        }
    }
}
