package org.blockwatch.agent.control;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.blockwatch.core.control.ControlClient;
import org.blockwatch.core.control.ControlService;
import org.blockwatch.core.dns.ResolverAddress;
import org.blockwatch.core.engine.EngineConfig;
import org.blockwatch.core.engine.TargetUrl;
import org.blockwatch.core.engine.WebEngine;
import org.blockwatch.core.ip.AddressRange;
import org.blockwatch.core.ip.Bogons;
import org.blockwatch.core.measurement.Measurement;
import org.blockwatch.core.measurement.WebConnectivity;
import org.blockwatch.core.tls.TrustRoots;
import org.blockwatch.core.verdict.Analyzer;
import org.blockwatch.sim.Blackhole;
import org.blockwatch.sim.CensoredPath;
import org.blockwatch.sim.CertificateAuthority;
import org.blockwatch.sim.DnsBehaviour;
import org.blockwatch.sim.Fault;
import org.blockwatch.sim.FaultServer;
import org.blockwatch.sim.SimDnsServer;
import org.xbill.DNS.Rcode;

/**
 * A censored network on loopback. 127.100.0.0/16 stands for the public internet, where the sites
 * are; the probe asks a lying ISP resolver and its connections pass a censor ({@link CensoredPath});
 * the control server, outside, asks an honest resolver over the open path.
 */
final class CensoredWorld implements AutoCloseable {
    static final String PUBLIC = "127.100.0.1";
    static final String BLOCKPAGE = "<html><body><p class=\"error\">Access to the requested website has been blocked by judicial decision!</p></body></html>";
    static final String PAGE = "<html><head><title>Independent news today</title></head><body>" + "Reporting. ".repeat(300) + "</body></html>";
    static final List<String> NAMES = List.of("site.test", "reset.test", "stall.test", "mitm.test", "gov.test", "bp.test",
            "localhost.test", "nx-local.test", "nx-both.test", "injected.test", "dropped.test", "down.test");

    final CertificateAuthority lab = CertificateAuthority.root("CN=blockwatch lab root, O=blockwatch");
    final CertificateAuthority rogue = CertificateAuthority.root("CN=Rogue Interception Root, O=Censor");
    final CertificateAuthority government = CertificateAuthority.root("CN=Qaznet Trust Network, C=KZ");
    final SimDnsServer honest;
    final SimDnsServer isp;
    final CensoredPath path = new CensoredPath();
    final List<AutoCloseable> resources = new ArrayList<>();
    final MockWebServer http;
    final MockWebServer httpDropped;
    final MockWebServer httpBlockpage;
    final MockWebServer https;
    final MockWebServer httpsReset;
    final MockWebServer httpsStall;
    final MockWebServer httpsMitm;
    final MockWebServer httpsGovernment;
    final MockWebServer httpsBlockpage;
    final int closedPort;
    final ControlServer controlServer;
    private final WebEngine probeEngine;
    private final WebEngine controlEngine;

    CensoredWorld() throws Exception {
        InetAddress pub = InetAddress.getByName(PUBLIC);
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        honest = add(new SimDnsServer().otherwise(DnsBehaviour.answer(PUBLIC)).on("nx-both.test", new DnsBehaviour.Code(Rcode.NXDOMAIN)));
        isp = add(new SimDnsServer().otherwise(DnsBehaviour.answer(PUBLIC))
                .on("localhost.test", DnsBehaviour.answer("127.0.0.1"))
                .on("nx-local.test", new DnsBehaviour.Code(Rcode.NXDOMAIN))
                .on("nx-both.test", new DnsBehaviour.Code(Rcode.NXDOMAIN))
                .on("injected.test", new DnsBehaviour.Race(DnsBehaviour.answer("127.100.0.99"), DnsBehaviour.answer(PUBLIC), Duration.ofMillis(50))));
        CertificateAuthority.Issued siteCert = lab.issue(NAMES.toArray(String[]::new));

        http = server(pub, null, page(200, PAGE));
        httpDropped = server(pub, null, page(200, PAGE));
        httpBlockpage = server(pub, null, page(200, PAGE));
        https = server(pub, siteCert, page(200, PAGE));
        httpsReset = server(pub, siteCert, page(200, PAGE));
        httpsStall = server(pub, siteCert, page(200, PAGE));
        httpsMitm = server(pub, siteCert, page(200, PAGE));
        httpsGovernment = server(pub, siteCert, page(200, PAGE));
        httpsBlockpage = server(pub, siteCert, page(200, PAGE));
        try (ServerSocket s = new ServerSocket(0, 1, pub)) {
            closedPort = s.getLocalPort();
        }

        // The censor, on the probe's path only.
        Blackhole blackhole = add(new Blackhole());
        FaultServer reset = add(new FaultServer(Fault.RESET_ON_FIRST_DATA));
        FaultServer stall = add(new FaultServer(Fault.STALL));
        MockWebServer blockpage = server(loopback, null, page(200, BLOCKPAGE));
        MockWebServer interceptor = server(loopback, rogue.issue(NAMES.toArray(String[]::new)), page(200, PAGE));
        MockWebServer governmentInterceptor = server(loopback, government.issue(NAMES.toArray(String[]::new)), page(200, PAGE));
        MockWebServer serverSideBlockpage = server(loopback, siteCert, page(403, "<html><title>Access denied</title>Denied in your country</html>"));
        path.detour(PUBLIC, httpDropped.getPort(), blackhole.port())
                .detour(PUBLIC, httpBlockpage.getPort(), blockpage.getPort())
                .detour(PUBLIC, httpsReset.getPort(), reset.port())
                .detour(PUBLIC, httpsStall.getPort(), stall.port())
                .detour(PUBLIC, httpsMitm.getPort(), interceptor.getPort())
                .detour(PUBLIC, httpsGovernment.getPort(), governmentInterceptor.getPort())
                .detour(PUBLIC, httpsBlockpage.getPort(), serverSideBlockpage.getPort());

        Duration step = Duration.ofMillis(1500);
        controlEngine = add(new WebEngine(EngineConfig.defaults().withResolver(ResolverAddress.parse(honest.address()))
                .withExtraRoots(List.of(lab.certificate())).withStepTimeout(step).withDnsLateWindow(Duration.ofMillis(200))));
        controlServer = add(new ControlServer(new InetSocketAddress(loopback, 0), new ControlService(controlEngine, Bogons.DEFAULT),
                new ControlServer.Limits(8, 10_000, null)));
        probeEngine = add(new WebEngine(EngineConfig.defaults().withResolver(ResolverAddress.parse(isp.address()))
                .withExtraRoots(List.of(lab.certificate())).withStepTimeout(step).withDnsLateWindow(Duration.ofMillis(400))
                .withSockets(path)));
    }

    /** A loopback port where nothing listens: a control that cannot be reached. */
    int closedPortOnLoopback() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String controlUrl() {
        return "http://127.0.0.1:" + controlServer.address().getPort() + "/";
    }

    /** Measures {@code url} as the probe would, with the control at {@code controlUrl} (null: none). */
    Measurement measure(String url, String controlUrl) {
        ControlClient control = controlUrl == null ? null : new ControlClient(List.of(controlUrl), Duration.ofSeconds(10),
                Duration.ofSeconds(20), TrustRoots.jdkPlus(List.of(lab.certificate())), null);
        Analyzer analyzer = Analyzer.standard(new Bogons(List.of(AddressRange.parse("127.100.0.0/16"))));
        return new WebConnectivity(probeEngine, control, analyzer).measure(TargetUrl.parse(url));
    }

    private MockWebServer server(InetAddress bind, CertificateAuthority.Issued cert, MockResponse response) throws IOException {
        MockWebServer server = new MockWebServer();
        if (cert != null) server.useHttps(cert.serverContext().getSocketFactory());
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return response;
            }
        });
        server.start(bind, 0);
        return add(server);
    }

    private static MockResponse page(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "text/html; charset=utf-8").body(body).build();
    }

    private <T extends AutoCloseable> T add(T resource) {
        resources.add(resource);
        return resource;
    }

    @Override
    public void close() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) resources.get(i).close();
    }
}
