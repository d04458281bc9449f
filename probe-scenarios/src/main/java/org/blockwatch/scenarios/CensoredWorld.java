package org.blockwatch.scenarios;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import org.blockwatch.core.dns.ResolverAddress;
import org.blockwatch.core.engine.EngineConfig;
import org.blockwatch.core.engine.WebEngine;
import org.blockwatch.core.ip.AddressRange;
import org.blockwatch.core.ip.Bogons;
import org.blockwatch.helper.ControlServer;
import org.blockwatch.helper.ControlService;
import org.blockwatch.sim.Blackhole;
import org.blockwatch.sim.CensoredPath;
import org.blockwatch.sim.CertificateAuthority;
import org.blockwatch.sim.DnsBehaviour;
import org.blockwatch.sim.Fault;
import org.blockwatch.sim.FaultServer;
import org.blockwatch.sim.ShapingProxy;
import org.blockwatch.sim.SimStunServer;
import org.blockwatch.sim.SimDnsServer;
import org.blockwatch.sim.WebSite;
import org.xbill.DNS.Rcode;

/**
 * A censored network inside the process, on loopback, built from a scenario table.
 * 127.100.0.0/16 stands for the public internet, where the sites are. The probe asks the ISP's
 * resolver, which lies for some names, and its connections pass a censor that drops, resets,
 * stalls, intercepts, throttles or answers with a blockpage for chosen sites; the control
 * server, outside, asks an honest resolver over the open path. Nothing leaves the machine.
 */
public final class CensoredWorld implements AutoCloseable {
    public static final String PUBLIC = "127.100.0.1";
    /** The range that stands for the public internet: not a bogon in this world. */
    public static final String PUBLIC_RANGE = "127.100.0.0/16";
    static final String PAGE = "<html><head><title>Independent news of the day</title></head><body>" + "Reporting. ".repeat(300) + "</body></html>";
    static final String BLOCKPAGE = "<html><body><p class=\"error\">Access to the requested website has been blocked by judicial decision!</p></body></html>";
    static final String DENIED = "<html><title>Access denied</title>Not available in your country</html>";
    private static final Duration STEP = Duration.ofSeconds(2);
    /** Uncommon header names a site sends, which a censor's blockpage server can copy. */
    static final Map<String, String> SITE_HEADERS = Map.of("X-Site-Id", "independent-news", "X-Edition", "kz");

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Map<Scenario, String> urls = new LinkedHashMap<>();
    private final CertificateAuthority ca = CertificateAuthority.root("CN=blockwatch demo root, O=blockwatch demo");
    private final SimDnsServer isp;
    private final SimDnsServer honest;
    private final CensoredPath censor = new CensoredPath();
    private final InetAddress pub;
    private final InetAddress loopback;
    private final CertificateAuthority.Issued siteCert;
    private final List<String> names;
    private final ControlServer control;
    private final List<StunServer> stunServers = new ArrayList<>();

    /**
     * Issue 30: where the apps' servers of this world answer, as the probe sees them: an address
     * of its public internet whose ports 80, 443 and 5222 (Telegram's data centres, WhatsApp's
     * and Messenger's endpoints) lead to a plain web server. The control does not reach it: the
     * demo's app blocks are of pages and names the control can measure.
     */
    public static final String APP_SERVERS = "127.100.0.40";
    /** A name both resolvers answer with {@link #APP_SERVERS}: an app's endpoint. */
    public static final String APP_HOST = "chat.app.example";
    static final int[] APP_PORTS = {80, 443, 5222};

    /** Where the probe's STUN requests leave from: an address of its own, which the censor's drop rule names. */
    static final String PROBE_STUN_SOURCE = "127.0.0.3";

    /**
     * A STUN server of this world: {@code input} as stunreachability takes it, and whether the
     * censor drops the probe's requests to it (the control's still get through).
     */
    public record StunServer(String input, boolean blocked) {
        /** What the censor does to it, for the demo's table. */
        public String description() {
            return blocked ? "drops the probe's STUN requests (UDP)" : "nothing (a STUN server that answers)";
        }
    }

    private CensoredWorld(List<Scenario> scenarios) throws IOException {
        pub = InetAddress.getByName(PUBLIC);
        loopback = InetAddress.getByName("127.0.0.1");
        honest = add(new SimDnsServer().otherwise(DnsBehaviour.answer(PUBLIC)));
        isp = add(new SimDnsServer().otherwise(DnsBehaviour.answer(PUBLIC)));
        names = scenarios.stream().map(Scenario::host).toList();
        siteCert = ca.issue(names.toArray(String[]::new));
        try {
            for (Scenario s : scenarios) build(s);
            int apps = add(new WebSite(loopback, null, WebSite.Page.html(200, "<html><title>app server</title></html>"))).port();
            for (int port : APP_PORTS) censor.detour(APP_SERVERS, port, apps);
            isp.on(APP_HOST, DnsBehaviour.answer(APP_SERVERS));
            honest.on(APP_HOST, DnsBehaviour.answer(APP_SERVERS));
            InetAddress probeStun = InetAddress.getByName(PROBE_STUN_SOURCE);
            for (boolean blocked : new boolean[] {false, true}) {
                SimStunServer server = add(new SimStunServer(InetAddress.getByName(blocked ? "127.100.0.31" : "127.100.0.30"),
                        blocked ? java.util.Set.of(probeStun) : java.util.Set.of()));
                stunServers.add(new StunServer("stun://" + server.address().getAddress().getHostAddress() + ":" + server.address().getPort(), blocked));
            }
            WebEngine controlEngine = add(new WebEngine(EngineConfig.defaults().withResolver(ResolverAddress.parse(honest.address()))
                    .withExtraRoots(List.of(ca.certificate())).withStepTimeout(STEP).withDnsLateWindow(Duration.ofMillis(100))));
            control = add(new ControlServer(new InetSocketAddress(loopback, 0), new ControlService(controlEngine, Bogons.DEFAULT),
                    new ControlServer.Limits(16, 100_000, null)));
        } catch (IOException | RuntimeException e) {
            close(); // no server of a world that failed to start stays up
            throw e;
        }
    }

    /** Starts the world of the whole table; close it to stop every server. */
    public static CensoredWorld start() throws IOException {
        return start(Scenarios.ALL);
    }

    public static CensoredWorld start(List<Scenario> scenarios) throws IOException {
        return new CensoredWorld(scenarios);
    }

    /** The first scenario of this world whose censor does {@code technique} (over HTTPS when {@code https}), if there is one. */
    public java.util.Optional<Scenario> scenario(Technique technique, boolean https) {
        return urls.keySet().stream().filter(s -> s.censor() == technique && s.https() == https).findFirst();
    }

    /** The scenarios of this world, in table order. */
    public List<Scenario> scenarios() {
        return List.copyOf(urls.keySet());
    }

    public String url(Scenario s) {
        String url = urls.get(s);
        if (url == null) throw new IllegalArgumentException("no site " + s.host() + " in this world");
        return url;
    }

    /** The scenario of the site on {@code host} (e.g. {@code reset.example}). */
    public Scenario scenario(String host) {
        return urls.keySet().stream().filter(s -> s.host().equals(host)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no site " + host + " in this world"));
    }

    /** The probe's engine: the ISP's resolver, the censored path, the world's root trusted. */
    public EngineConfig probeEngine() {
        return EngineConfig.defaults().withResolver(ResolverAddress.parse(isp.address())).withExtraRoots(List.of(ca.certificate()))
                .withStepTimeout(STEP).withDnsLateWindow(Duration.ofMillis(200)).withSockets(censor);
    }

    /** The world's STUN servers, one open and one the censor blocks. */
    public List<StunServer> stunServers() {
        return List.copyOf(stunServers);
    }

    /** The address the probe's STUN requests must leave from, for the censor to tell them from the control's. */
    public InetAddress probeStunSource() {
        try {
            return InetAddress.getByName(PROBE_STUN_SOURCE);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The addresses of this world that are not bogons (for the probe's analysis). */
    public Bogons bogons() {
        return new Bogons(List.of(AddressRange.parse(PUBLIC_RANGE)));
    }

    /** The ISP's resolver (host:port), which lies for the DNS scenarios' names. */
    public String ispResolver() {
        return isp.address();
    }

    /**
     * Whether another program measuring this world sees {@code s}'s censorship too: the DNS lies
     * are the ISP resolver's own answers, but every other technique is applied in the sockets of
     * this process ({@link #probeEngine}), which other programs do not use.
     */
    public boolean visibleFromOutside(Scenario s) {
        return switch (s.censor()) {
            case NOTHING, DNS_LOCALHOST, DNS_NXDOMAIN, DNS_INJECTION, DOWN_NXDOMAIN, DOWN_REFUSED -> true;
            default -> false;
        };
    }

    public String controlUrl() {
        return "http://127.0.0.1:" + control.address().getPort() + "/";
    }

    public CertificateAuthority ca() {
        return ca;
    }

    /** The root the world's sites chain to, for the probe's and the control client's trust. */
    public X509Certificate root() {
        return ca.certificate();
    }

    private void build(Scenario s) throws IOException {
        String host = s.host();
        SSLContext tls = s.https() ? siteCert.serverContext() : null;
        switch (s.censor()) {
            case DNS_LOCALHOST -> isp.on(host, DnsBehaviour.answer("127.0.0.1"));
            case DNS_NXDOMAIN -> isp.on(host, new DnsBehaviour.Code(Rcode.NXDOMAIN));
            case DNS_INJECTION -> isp.on(host, new DnsBehaviour.Race(DnsBehaviour.answer("127.100.0.99"), DnsBehaviour.answer(PUBLIC), Duration.ofMillis(30)));
            case DOWN_NXDOMAIN -> {
                isp.on(host, new DnsBehaviour.Code(Rcode.NXDOMAIN));
                honest.on(host, new DnsBehaviour.Code(Rcode.NXDOMAIN));
            }
            default -> { }
        }
        if (s.censor() == Technique.DOWN_REFUSED || s.censor() == Technique.DOWN_NXDOMAIN) {
            int closed;
            try (ServerSocket socket = new ServerSocket(0, 1, pub)) {
                closed = socket.getLocalPort();
            }
            urls.put(s, url(s, closed));
            return;
        }
        WebSite.Page page = s.censor() == Technique.BLOCKPAGE_SHARED_HEADERS ? WebSite.Page.html(200, PAGE).withHeaders(SITE_HEADERS) : WebSite.Page.html(200, PAGE);
        int port = add(new WebSite(pub, tls, page)).port();
        urls.put(s, url(s, port));
        int detour = switch (s.censor()) {
            case TCP_DROP -> add(new Blackhole()).port();
            case TLS_RESET -> add(new FaultServer(Fault.RESET_ON_FIRST_DATA)).port();
            case TLS_STALL -> add(new FaultServer(Fault.STALL)).port();
            case TLS_ROGUE_ROOT -> interceptor("CN=Rogue Inspection CA, O=Censor");
            case TLS_GOVERNMENT_ROOT -> interceptor("CN=Qaznet Trust Network, C=KZ");
            case BLOCKPAGE -> add(new WebSite(loopback, null, WebSite.Page.html(200, BLOCKPAGE))).port();
            case BLOCKPAGE_VALID_TLS -> add(new WebSite(loopback, tls, WebSite.Page.html(403, DENIED))).port();
            case BLOCKPAGE_SHARED_HEADERS -> add(new WebSite(loopback, null, WebSite.Page.html(200, BLOCKPAGE).withHeaders(SITE_HEADERS))).port();
            // 128 bytes every 100 ms (about 10 kbit/s) once the ClientHello names the site; the TLS handshake alone takes a second.
            case THROTTLE_BY_SNI -> add(new ShapingProxy(new InetSocketAddress(pub, port), host, 128, Duration.ofMillis(100))).port();
            // 4 KiB every 300 ms (about 100 kbit/s) of a page over the probe's 64 KiB body limit, which is cut there.
            case THROTTLE -> add(new WebSite(loopback, tls, WebSite.Page.html(200, PAGE + "x".repeat(100 * 1024))
                    .throttled(4096, Duration.ofMillis(300)))).port();
            default -> -1;
        };
        if (detour > 0) censor.detour(PUBLIC, port, detour);
    }

    /** A server with a chain for every name of the world from a root the censor made. */
    private int interceptor(String rootSubject) throws IOException {
        SSLContext forged = CertificateAuthority.root(rootSubject).issue(names.toArray(String[]::new)).serverContext();
        return add(new WebSite(loopback, forged, WebSite.Page.html(200, PAGE))).port();
    }

    private static String url(Scenario s, int port) {
        return (s.https() ? "https://" : "http://") + s.host() + ":" + port + "/";
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
                // stopping a server that already failed
            }
        }
    }
}
