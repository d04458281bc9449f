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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.blockwatch.core.control.ControlClient;
import org.blockwatch.core.control.wire.ResolverCheck;
import org.blockwatch.core.dns.ResolverAddress;
import org.blockwatch.core.dns.ResolverUrl;
import org.blockwatch.core.dns.Resolvers;
import org.blockwatch.core.dnscheck.DnsCheck;
import org.blockwatch.core.dnscheck.DnsCheckControl;
import org.blockwatch.core.dnscheck.DnsCheckResult;
import org.blockwatch.core.dnscheck.HelperDnsCheckControl;
import org.blockwatch.core.engine.EngineConfig;
import org.blockwatch.core.engine.WebEngine;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.ip.Bogons;
import org.blockwatch.core.step.StepListener;
import org.blockwatch.core.tcp.DirectSocketFactory;
import org.blockwatch.core.tls.TlsClient;
import org.blockwatch.core.tls.TrustRoots;
import org.blockwatch.core.verdict.Verdict;
import org.blockwatch.sim.DnsBehaviour;
import org.blockwatch.sim.SimDnsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * blockwatch's dnscheck extension, {@code POST /x/dnscheck}: the helper's own lookups over the
 * resolver a probe names, through the probe's {@link HelperDnsCheckControl}; bounded, validated,
 * and refusing private destinations as every other check does.
 */
class DnsCheckExtensionTest {
    private SimDnsServer resolver;
    private WebEngine engine;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        resolver = new SimDnsServer().on("example.org", DnsBehaviour.answer("192.0.2.1")).on("dns.test", DnsBehaviour.answer("127.0.0.1"));
    }

    @AfterEach
    void stop() {
        if (engine != null) engine.close();
        resolver.close();
        executor.shutdownNow();
    }

    private ControlServer server(boolean allowPrivate) throws Exception {
        Bogons bogons = Bogons.DEFAULT;
        engine = new WebEngine(EngineConfig.defaults().withResolver(ResolverAddress.parse(resolver.address()))
                .withStepTimeout(Duration.ofSeconds(2))
                .withDestinations(ip -> allowPrivate || !bogons.isBogon(ip.getHostAddress())));
        return new ControlServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new ControlService(engine, bogons),
                new ControlServer.Limits(4, 100, null));
    }

    private static ControlClient client(int port) {
        return new ControlClient(List.of("http://127.0.0.1:" + port + "/"), Duration.ofSeconds(5), Duration.ofSeconds(10),
                TrustRoots.jdkPlus(List.of()), null);
    }

    private HttpResponse<String> post(ControlServer s, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.address().getPort() + "/x/dnscheck"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theHelperLooksUpOverTheResolverNamedAndTheProbeSeesItsAnswers() throws Exception {
        try (ControlServer s = server(true)) {
            DnsCheckControl control = new HelperDnsCheckControl(client(s.address().getPort()));
            DnsCheckControl.Answer a = control.check(ResolverUrl.parse("udp://" + resolver.address()), List.of("example.org"));
            assertThat(a.available()).as(a.controlFailure()).isTrue();
            assertThat(a.response().bootstrapFailure()).isNull();
            assertThat(a.response().lookups()).singleElement().satisfies(l -> {
                assertThat(l.endpoint()).isEqualTo("udp://" + resolver.address());
                assertThat(l.domain()).isEqualTo("example.org");
                assertThat(l.answered()).isTrue();
                assertThat(l.failure()).isNull();
                assertThat(l.addresses()).containsExactly("192.0.2.1");
            });
            // A name is resolved with the helper's own resolver first: tcp://dns.test is 127.0.0.1:53, where nothing listens.
            DnsCheckControl.Answer named = control.check(ResolverUrl.parse("tcp://dns.test:" + closedPort()), List.of("example.org"));
            assertThat(named.response().bootstrapFailure()).isNull();
            assertThat(named.response().lookups()).singleElement().satisfies(l -> {
                assertThat(l.failure()).isEqualTo(Failure.CONNECTION_REFUSED);
                assertThat(l.failedOperation()).isEqualTo("connect");
                assertThat(l.answered()).isFalse();
            });

            // The kind, end to end: a resolver that answers here and to the helper alike.
            DnsCheck kind = new DnsCheck(new Resolvers.Setup(DirectSocketFactory.INSTANCE, new TlsClient(TrustRoots.jdkPlus(List.of())), executor,
                    Duration.ofMillis(50)), Duration.ofSeconds(2), StepListener.NONE, control, DnsCheck.Settings.DEFAULT);
            DnsCheckResult r = (DnsCheckResult) kind.measure("udp://" + resolver.address());
            assertThat(r.verdict().status()).as(r.verdict().explanation()).isEqualTo(Verdict.Status.ACCESSIBLE);
            assertThat(r.verdict().explanation()).contains("as it answers the control");
            assertThat(r.testHelpers()).containsKey("backend");
        }
    }

    @Test
    void privateResolversAreNotAskedUnlessAllowed() throws Exception {
        try (ControlServer s = server(false)) {
            DnsCheckControl.Answer a = new HelperDnsCheckControl(client(s.address().getPort()))
                    .check(ResolverUrl.parse("udp://" + resolver.address()), List.of("example.org"));
            assertThat(a.response().lookups()).singleElement().satisfies(l -> {
                assertThat(l.failure()).isEqualTo(Failure.DESTINATION_REFUSED);
                assertThat(l.answered()).isFalse();
            });
        }
    }

    @Test
    void whatIsNotOneResolverAndAFewNamesIsRefusedSayingWhy() throws Exception {
        try (ControlServer s = server(true)) {
            HttpResponse<String> noResolver = post(s, "{\"domains\":[\"example.org\"]}");
            assertThat(noResolver.statusCode()).isEqualTo(400);
            assertThat(noResolver.body()).contains("no resolver");
            HttpResponse<String> badUrl = post(s, "{\"resolver\":\"ftp://x\",\"domains\":[\"example.org\"]}");
            assertThat(badUrl.statusCode()).isEqualTo(400);
            assertThat(badUrl.body()).contains("scheme 'ftp' is not a resolver's");
            HttpResponse<String> tooMany = post(s, "{\"resolver\":\"udp://" + resolver.address() + "\",\"domains\":[\"a.test\",\"b.test\",\"c.test\",\"d.test\",\"e.test\"]}");
            assertThat(tooMany.statusCode()).isEqualTo(400);
            assertThat(tooMany.body()).contains("at most " + ResolverCheck.MAX_DOMAINS);
            HttpResponse<String> none = post(s, "{\"resolver\":\"udp://" + resolver.address() + "\",\"domains\":[]}");
            assertThat(none.statusCode()).isEqualTo(400);
            assertThat(post(s, "not json").statusCode()).isEqualTo(400);
        }
    }

    /** A helper without the extension (OONI's answer 404): the probe has no dnscheck control, and says why. */
    @Test
    void aHelperWithoutTheExtensionLeavesTheControlUnavailable() throws Exception {
        try (MockWebServer ooni = new MockWebServer()) {
            ooni.enqueue(new MockResponse.Builder().code(404).body("{}").build());
            ooni.start(InetAddress.getLoopbackAddress(), 0);
            DnsCheckControl.Answer none = new HelperDnsCheckControl(client(ooni.getPort())).check(ResolverUrl.parse("udp://127.0.0.1:53"),
                    List.of("example.org"));
            assertThat(none.available()).isFalse();
            assertThat(none.controlFailure()).contains("HTTP 404").contains("does not measure resolvers");
            assertThat(ooni.takeRequest().getUrl().encodedPath()).isEqualTo("/x/dnscheck");
        }
    }

    private static int closedPort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
