package org.blockwatch.core.engine;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.blockwatch.core.dns.ResolverAddress;
import org.blockwatch.sim.Blackhole;
import org.blockwatch.sim.CertificateAuthority;
import org.blockwatch.sim.DnsBehaviour;
import org.blockwatch.sim.Fault;
import org.blockwatch.sim.FaultServer;
import org.blockwatch.sim.SimDnsServer;
import org.xbill.DNS.Rcode;

/**
 * The loopback world the engine tests measure: one resolver, web servers and misbehaving
 * servers, each name pointing at 127.0.0.1 and each URL carrying its server's port.
 */
final class SimulatedInternet implements AutoCloseable {
    static final String IDN_ASCII = "xn--d1acpjx3f.xn--p1ai"; // яндекс.рф
    static final int BIG_BODY = 200 * 1024;
    /** A page far over any body limit, big enough that reading it to the end would show. */
    static final int HUGE_BODY = 8 * 1024 * 1024;

    final CertificateAuthority trusted = CertificateAuthority.root("CN=blockwatch test root, O=blockwatch");
    final CertificateAuthority rogue = CertificateAuthority.root("CN=Rogue Interception Root, O=Censor");
    final SimDnsServer dns;
    final MockWebServer http = new MockWebServer();
    final MockWebServer https = new MockWebServer();
    final MockWebServer mitm = new MockWebServer();
    final MockWebServer wrongName = new MockWebServer();
    final MockWebServer expired = new MockWebServer();
    final FaultServer resetOnHello;
    final FaultServer closeOnHello;
    final FaultServer stall;
    final FaultServer resetAfterRequest;
    final FaultServer endlessHeaders;
    final FaultServer closeInHead;
    final Blackhole blackhole;
    final int closedPort;
    private final List<AutoCloseable> resources = new ArrayList<>();

    SimulatedInternet() throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        dns = new SimDnsServer().otherwise(DnsBehaviour.answer("127.0.0.1"))
                .on("nx.test", new DnsBehaviour.Code(Rcode.NXDOMAIN))
                .on("servfail.test", new DnsBehaviour.Code(Rcode.SERVFAIL))
                .on("empty.test", new DnsBehaviour.Code(Rcode.NOERROR))
                .on("silent.test", new DnsBehaviour.Silent())
                .on("injected.test", new DnsBehaviour.Race(DnsBehaviour.answer("127.0.0.2"),
                        DnsBehaviour.answer("127.0.0.1"), Duration.ofMillis(50)));
        resources.add(dns);

        http.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return route(request);
            }
        });
        http.start(loopback, 0);
        resources.add(http);

        https.useHttps(trusted.issue("site.test").serverContext().getSocketFactory());
        https.setDispatcher(okDispatcher("Welcome to the site"));
        https.start(loopback, 0);
        resources.add(https);

        mitm.useHttps(rogue.issue("site.test").serverContext().getSocketFactory());
        mitm.setDispatcher(okDispatcher("Intercepted"));
        mitm.start(loopback, 0);
        resources.add(mitm);

        wrongName.useHttps(trusted.issue("other.test").serverContext().getSocketFactory());
        wrongName.setDispatcher(okDispatcher("Other"));
        wrongName.start(loopback, 0);
        resources.add(wrongName);

        Instant now = Instant.now();
        expired.useHttps(trusted.issue(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)), "site.test")
                .serverContext().getSocketFactory());
        expired.setDispatcher(okDispatcher("Expired"));
        expired.start(loopback, 0);
        resources.add(expired);

        resetOnHello = add(new FaultServer(Fault.RESET_ON_FIRST_DATA));
        closeOnHello = add(new FaultServer(Fault.CLOSE_ON_FIRST_DATA));
        stall = add(new FaultServer(Fault.STALL));
        resetAfterRequest = add(new FaultServer(Fault.RESET_AFTER_HTTP_REQUEST));
        endlessHeaders = add(new FaultServer(Fault.ENDLESS_RESPONSE_HEADERS));
        closeInHead = add(new FaultServer(Fault.CLOSE_IN_RESPONSE_HEAD));
        blackhole = add(new Blackhole());
        try (ServerSocket s = new ServerSocket(0, 1, loopback)) {
            closedPort = s.getLocalPort(); // nothing listens here once it is closed
        }
    }

    private <T extends AutoCloseable> T add(T resource) {
        resources.add(resource);
        return resource;
    }

    private static Dispatcher okDispatcher(String title) {
        return new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return page(title);
            }
        };
    }

    static MockResponse page(String title) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html; charset=utf-8")
                .body("<html><head><title>" + title + "</title></head><body>hello</body></html>").build();
    }

    private MockResponse route(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        int port = http.getPort();
        if (path.equals("/hop1")) return redirect("http://b.test:" + port + "/hop2");
        if (path.equals("/hop2")) return redirect("http://c.test:" + port + "/final");
        if (path.equals("/final")) return page("Arrived");
        if (path.startsWith("/loop/")) {
            int n = Integer.parseInt(path.substring("/loop/".length()));
            return redirect("/loop/" + (n + 1));
        }
        if (path.equals("/huge")) {
            return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/plain").body("x".repeat(HUGE_BODY)).build();
        }
        if (path.equals("/big")) {
            return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/plain").body("x".repeat(BIG_BODY)).build();
        }
        return page("Host " + request.getHeaders().get("Host"));
    }

    private static MockResponse redirect(String location) {
        return new MockResponse.Builder().code(302).addHeader("Location", location).build();
    }

    EngineConfig config() throws IOException {
        return EngineConfig.defaults()
                .withResolver(ResolverAddress.parse(dns.address()))
                .withExtraRoots(List.of(trusted.certificate()))
                .withStepTimeout(Duration.ofMillis(1500))
                .withDnsLateWindow(Duration.ofMillis(400));
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable r : resources) r.close();
    }
}
