package org.blockwatch.agent.demo;

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
import org.blockwatch.agent.control.ControlServer;
import org.blockwatch.core.control.ControlService;
import org.blockwatch.core.dns.ResolverAddress;
import org.blockwatch.core.engine.EngineConfig;
import org.blockwatch.core.engine.WebEngine;
import org.blockwatch.core.ip.Bogons;
import org.blockwatch.sim.Blackhole;
import org.blockwatch.sim.CensoredPath;
import org.blockwatch.sim.CertificateAuthority;
import org.blockwatch.sim.DnsBehaviour;
import org.blockwatch.sim.Fault;
import org.blockwatch.sim.FaultServer;
import org.blockwatch.sim.SimDnsServer;
import org.xbill.DNS.Rcode;

/**
 * A censored network inside the process, on loopback. 127.100.0.0/16 stands for the public
 * internet, where the demo's sites are. The probe asks the ISP's resolver, which lies for some
 * names, and its connections pass a censor that drops, resets, stalls, intercepts or answers
 * with a blockpage for chosen sites; the control server, outside, asks an honest resolver over
 * the open path. Nothing leaves the machine.
 */
public final class DemoNetwork implements AutoCloseable {
    public static final String PUBLIC = "127.100.0.1";
    public static final String PUBLIC_RANGE = "127.100.0.0/16";
    static final String BLOCKPAGE = "<html><body><p class=\"error\">Access to the requested website has been blocked by judicial decision!</p></body></html>";
    static final String PAGE = "<html><head><title>Independent news of the day</title></head><body>" + "Reporting. ".repeat(300) + "</body></html>";
    private static final Duration STEP = Duration.ofSeconds(2);

    /** A demo site: what the censor does to it, and the verdict that must follow. */
    public record Case(String url, String censor, String status, String method, String flag) {}

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<Case> cases = new ArrayList<>();
    private final CertificateAuthority ca = CertificateAuthority.root("CN=blockwatch demo root, O=blockwatch demo");
    private final SimDnsServer isp;
    private final SimDnsServer honest;
    private final CensoredPath censor = new CensoredPath();
    private final InetAddress pub;
    private final InetAddress loopback;
    private final ControlServer control;

    private DemoNetwork() throws IOException {
        pub = InetAddress.getByName(PUBLIC);
        loopback = InetAddress.getByName("127.0.0.1");
        honest = add(new SimDnsServer().otherwise(DnsBehaviour.answer(PUBLIC)).on("gone.example", new DnsBehaviour.Code(Rcode.NXDOMAIN)));
        isp = add(new SimDnsServer().otherwise(DnsBehaviour.answer(PUBLIC))
                .on("gone.example", new DnsBehaviour.Code(Rcode.NXDOMAIN))
                .on("localhost.example", DnsBehaviour.answer("127.0.0.1"))
                .on("nxdomain.example", new DnsBehaviour.Code(Rcode.NXDOMAIN))
                .on("injected.example", new DnsBehaviour.Race(DnsBehaviour.answer("127.100.0.99"), DnsBehaviour.answer(PUBLIC), Duration.ofMillis(30))));
        String[] names = {"news.example", "plain.example", "localhost.example", "nxdomain.example", "injected.example", "dropped.example",
                "reset.example", "stall.example", "mitm.example", "qaznet.example", "blockpage.example", "denied.example", "throttled.example", "down.example",
                "gone.example"};
        CertificateAuthority.Issued cert = ca.issue(names);

        site("https://news.example", cert, "nothing", "accessible", null, null);
        site("http://plain.example", null, "nothing", "accessible", null, null);
        site("http://localhost.example", null, "the ISP's resolver answers 127.0.0.1", "blocked", "dns", "dns_bogon");
        site("http://nxdomain.example", null, "the ISP's resolver answers NXDOMAIN", "blocked", "dns", null);
        site("http://injected.example", null, "a forged DNS answer races the resolver's", "blocked", "dns", "dns_injected");

        MockWebServer dropped = site("http://dropped.example", null, "drops the connection attempts (SYN)", "blocked", "tcp_ip", null);
        censor.detour(PUBLIC, dropped.getPort(), add(new Blackhole()).port());
        MockWebServer reset = site("https://reset.example", cert, "resets the TLS handshake after the ClientHello", "blocked", "tls", null);
        censor.detour(PUBLIC, reset.getPort(), add(new FaultServer(Fault.RESET_ON_FIRST_DATA)).port());
        MockWebServer stall = site("https://stall.example", cert, "stalls the TLS handshake", "blocked", "tls", null);
        censor.detour(PUBLIC, stall.getPort(), add(new FaultServer(Fault.STALL)).port());
        MockWebServer mitm = site("https://mitm.example", cert, "intercepts TLS with a rogue root", "blocked", "tls", "tls_mitm");
        censor.detour(PUBLIC, mitm.getPort(), server(loopback, CertificateAuthority.root("CN=Rogue Inspection CA, O=Censor").issue(names), PAGE, 200).getPort());
        MockWebServer qaznet = site("https://qaznet.example", cert, "intercepts TLS with a root named like Kazakhstan's (Qaznet Trust Network)",
                "blocked", "tls", "tls_mitm_government_root");
        censor.detour(PUBLIC, qaznet.getPort(), server(loopback, CertificateAuthority.root("CN=Qaznet Trust Network, C=KZ").issue(names), PAGE, 200).getPort());
        MockWebServer blockpage = site("http://blockpage.example", null, "serves a blockpage instead of the page", "blocked", "http-diff",
                "blockpage:cp.c_isp_kg_elcat");
        censor.detour(PUBLIC, blockpage.getPort(), server(loopback, null, BLOCKPAGE, 200).getPort());

        MockWebServer denied = site("https://denied.example", cert, "serves a blockpage over valid HTTPS (the site's own certificate)",
                "blocked", "http-diff", null);
        censor.detour(PUBLIC, denied.getPort(), server(loopback, cert, "<html><title>Access denied</title>Not available in your country</html>", 403).getPort());
        MockWebServer throttled = site("http://throttled.example", null, "throttles the site to about 100 kbit/s", "accessible", null, "throttled");
        MockWebServer slow = new MockWebServer();
        slow.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().addHeader("Content-Type", "text/html; charset=utf-8").body(PAGE + "x".repeat(100 * 1024)) // over the body limit: cut at 64 KiB
                        .throttleBody(4096, 300, java.util.concurrent.TimeUnit.MILLISECONDS).build();
            }
        });
        slow.start(loopback, 0);
        censor.detour(PUBLIC, throttled.getPort(), add(slow).getPort());

        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, pub)) {
            closed = s.getLocalPort();
        }
        cases.add(new Case("http://down.example:" + closed + "/", "nothing: the site is down for everyone (connection refused)", "down", null, null));
        cases.add(new Case("http://gone.example:" + closed + "/", "nothing: the name does not exist anywhere (NXDOMAIN)", "down", null, null));

        WebEngine controlEngine = add(new WebEngine(EngineConfig.defaults().withResolver(ResolverAddress.parse(honest.address()))
                .withExtraRoots(List.of(ca.certificate())).withStepTimeout(STEP).withDnsLateWindow(Duration.ofMillis(100))));
        control = add(new ControlServer(new InetSocketAddress(loopback, 0), new ControlService(controlEngine, Bogons.DEFAULT),
                new ControlServer.Limits(16, 100_000, null)));
    }

    /** Starts the network; close it to stop every server. */
    public static DemoNetwork start() throws IOException {
        return new DemoNetwork();
    }

    public List<Case> cases() {
        return List.copyOf(cases);
    }

    /** The URL of the demo site on {@code host} (e.g. {@code reset.example}). */
    public String url(String host) {
        return cases.stream().map(Case::url).filter(u -> u.contains("//" + host + ":")).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no demo site " + host));
    }

    /** The probe's engine: the ISP's resolver, the censored path, the demo's root trusted. */
    public EngineConfig probeEngine() {
        return EngineConfig.defaults().withResolver(ResolverAddress.parse(isp.address())).withExtraRoots(List.of(ca.certificate()))
                .withStepTimeout(STEP).withDnsLateWindow(Duration.ofMillis(200)).withSockets(censor);
    }

    public String controlUrl() {
        return "http://127.0.0.1:" + control.address().getPort() + "/";
    }

    public CertificateAuthority ca() {
        return ca;
    }

    private MockWebServer site(String base, CertificateAuthority.Issued cert, String censorDoes, String status, String method, String flag)
            throws IOException {
        MockWebServer s = server(pub, cert, PAGE, 200);
        cases.add(new Case(base + ":" + s.getPort() + "/", censorDoes, status, method, flag));
        return s;
    }

    private MockWebServer server(InetAddress bind, CertificateAuthority.Issued cert, String body, int code) throws IOException {
        MockWebServer server = new MockWebServer();
        if (cert != null) server.useHttps(cert.serverContext().getSocketFactory());
        MockResponse response = new MockResponse.Builder().code(code).addHeader("Content-Type", "text/html; charset=utf-8").body(body).build();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return response;
            }
        });
        server.start(bind, 0);
        return add(server);
    }

    private <T extends AutoCloseable> T add(T resource) {
        resources.add(resource);
        return resource;
    }

    @Override
    public void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception ignored) {
                // stopping a demo server that already failed
            }
        }
    }
}
