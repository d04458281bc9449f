package org.blockwatch.scenarios;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
import org.blockwatch.core.messenger.FacebookMessenger;
import org.blockwatch.core.signal.Signal;
import org.blockwatch.core.telegram.Telegram;
import org.blockwatch.core.whatsapp.WhatsApp;
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
 *
 * <p>The apps the probe measures without input (Telegram, WhatsApp, Signal, Facebook Messenger)
 * have their servers here too, on the public addresses and well-known ports their kinds contact
 * (the world's routes carry those ports to the servers' loopback ports: no root needed); {@link
 * #telegram()} and the others give the kinds these endpoints, so that nothing contacts the real
 * apps. What the censor does to each is {@link Scenarios#APPS}.
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
    /** The open path: the public addresses' well-known ports carried to their servers' loopback ports. */
    private final CensoredPath internet = new CensoredPath();
    /** The probe's path: the censor's detours, then the open path. */
    private final CensoredPath censor = new CensoredPath(internet);
    private final InetAddress pub;
    private final InetAddress loopback;
    private final CertificateAuthority.Issued siteCert;
    private final List<String> names;
    private final ControlServer control;
    private final List<StunServer> stunServers = new ArrayList<>();
    /** The root of the world's Signal servers, which the Signal kind pins (as the app pins Signal's own). */
    private final CertificateAuthority signalRoot = CertificateAuthority.root("CN=Signal Messenger demo root, O=blockwatch demo");
    private Telegram.Endpoints telegram;
    private WhatsApp.Endpoints whatsapp;
    private Signal.Endpoints signal;
    private FacebookMessenger.Endpoints messenger;

    /** The world's Facebook: the address space Messenger's answers must be in (the bundled AS32934's stand-in). */
    public static final String FACEBOOK_RANGE = "127.100.3.0/24";
    /** The censor's own server, whose address the ISP's resolver gives for Messenger's names. */
    static final String CENSOR_SERVER = "127.100.0.98";

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
            buildApps();
            InetAddress probeStun = InetAddress.getByName(PROBE_STUN_SOURCE);
            for (boolean blocked : new boolean[] {false, true}) {
                SimStunServer server = add(new SimStunServer(InetAddress.getByName(blocked ? "127.100.0.31" : "127.100.0.30"),
                        blocked ? java.util.Set.of(probeStun) : java.util.Set.of()));
                stunServers.add(new StunServer("stun://" + server.address().getAddress().getHostAddress() + ":" + server.address().getPort(), blocked));
            }
            WebEngine controlEngine = add(new WebEngine(EngineConfig.defaults().withResolver(ResolverAddress.parse(honest.address()))
                    .withExtraRoots(List.of(ca.certificate(), signalRoot.certificate())).withStepTimeout(STEP)
                    .withDnsLateWindow(Duration.ofMillis(100)).withSockets(internet)));
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

    /** The apps of this world and what the censor does to each ({@link Scenarios#APPS}). */
    public List<AppScenario> apps() {
        return Scenarios.APPS;
    }

    /** Telegram's data centres and web client in this world (for the kind in place of {@link Telegram.Endpoints#DEFAULT}). */
    public Telegram.Endpoints telegram() {
        return telegram;
    }

    /** WhatsApp's endpoints, registration service and web client in this world. */
    public WhatsApp.Endpoints whatsapp() {
        return whatsapp;
    }

    /** Signal's services in this world, and the root they chain to (the world's Signal root). */
    public Signal.Endpoints signal() {
        return signal;
    }

    /** Messenger's names in this world, and this world's Facebook address space ({@link #FACEBOOK_RANGE}). */
    public FacebookMessenger.Endpoints messenger() {
        return messenger;
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
            case TLS_ROGUE_ROOT -> interceptor("CN=Rogue Inspection CA, O=Censor", names);
            case TLS_GOVERNMENT_ROOT -> interceptor("CN=Qaznet Trust Network, C=KZ", names);
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
        if (s.censor() == Technique.FLAKY_DROP_THEN_RESET) {
            censor.detourInTurn(PUBLIC, port, add(new Blackhole()).port(), add(new FaultServer(Fault.RESET_ON_FIRST_DATA)).port());
        }
    }

    /** A server with a chain for every one of {@code hosts} from a root the censor made. */
    private int interceptor(String rootSubject, List<String> hosts) throws IOException {
        SSLContext forged = CertificateAuthority.root(rootSubject).issue(hosts.toArray(String[]::new)).serverContext();
        return add(new WebSite(loopback, forged, WebSite.Page.html(200, PAGE))).port();
    }

    /**
     * The apps' servers, the world's routes to their well-known ports, and what the censor does
     * ({@link Scenarios#APPS}): connections to Telegram's data centres and to WhatsApp's port 443
     * refused on the probe's path (a reset answering the SYN: no step waits for a timeout);
     * Signal's services intercepted there; Messenger's names answered by the ISP's resolver with
     * the censor's server. The control's path and resolver are the open ones.
     */
    private void buildApps() throws IOException {
        String telegramWeb = "web.telegram.example", registration = "v.whatsapp.example", whatsappWeb = "web.whatsapp.example";
        List<FacebookMessenger.Service> fb = List.of(new FacebookMessenger.Service("b_api", "b-api.facebook.example"),
                new FacebookMessenger.Service("edge", "edge-mqtt.facebook.example"), new FacebookMessenger.Service("stun", "stun.facebook.example"));
        List<String> https = new ArrayList<>(List.of(telegramWeb, registration, whatsappWeb));
        fb.forEach(f -> https.add(f.host()));
        SSLContext appTls = ca.issue(https.toArray(String[]::new)).serverContext();
        WebSite.Page ok = WebSite.Page.html(200, "<html><body>ok</body></html>");
        int refused = refusingPort();

        // Telegram: two data centres, answering the app's POSTs on 80. Their 443 speaks TLS here (the real ones take the
        // app's plain HTTP there too), so that the control's handshake there, as OONI's helper makes on 443, ends at once.
        int datacentre = add(new WebSite(loopback, null, WebSite.Page.html(200, ""))).port();
        int datacentreTls = add(new WebSite(loopback, appTls, WebSite.Page.html(200, ""))).port();
        List<String> datacentres = List.of("127.100.1.1", "127.100.1.2");
        for (String ip : datacentres) {
            internet.detour(ip, 80, datacentre);
            internet.detour(ip, 443, datacentreTls);
            for (int port : new int[] {80, 443}) censor.detour(ip, port, refused);
        }
        telegram = new Telegram.Endpoints(datacentres, "https://" + telegramWeb + ":" + add(new WebSite(pub, appTls, ok)).port() + "/");

        // WhatsApp: three endpoints accepting connections on 443 and 5222; the censor refuses 443 on all.
        int chat = add(new WebSite(loopback, null, ok)).port();
        List<String> endpoints = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            String host = "e" + i + ".whatsapp.example", ip = "127.100.2." + i;
            endpoints.add(host);
            isp.on(host, DnsBehaviour.answer(ip));
            honest.on(host, DnsBehaviour.answer(ip));
            internet.detour(ip, 443, chat);
            internet.detour(ip, 5222, chat);
            censor.detour(ip, 443, refused);
        }
        whatsapp = new WhatsApp.Endpoints(endpoints, "https://" + registration + ":" + add(new WebSite(pub, appTls, ok)).port() + "/v2/register",
                "https://" + whatsappWeb + ":" + add(new WebSite(pub, appTls, ok)).port() + "/");

        // Signal: two services chaining to the world's Signal root; the censor intercepts both with a Qaznet-like root.
        List<String> signalHosts = List.of("chat.signal.example", "storage.signal.example");
        SSLContext signalTls = signalRoot.issue(signalHosts.toArray(String[]::new)).serverContext();
        int intercepting = interceptor("CN=Qaznet Trust Network, C=KZ", signalHosts);
        List<String> services = new ArrayList<>();
        for (String host : signalHosts) {
            int port = add(new WebSite(pub, signalTls, ok)).port();
            services.add("https://" + host + ":" + port + "/");
            censor.detour(PUBLIC, port, intercepting);
        }
        signal = new Signal.Endpoints(services, "uptime.signal.example", List.of(signalRoot.certificate()));

        // Facebook Messenger: its names in the world's Facebook range, answered by the honest resolver; the ISP's gives the censor's server.
        int facebook = add(new WebSite(loopback, appTls, ok)).port();
        // The censor's server: its blockpage on 80, and on 443 a certificate of its own (any handshake naming Messenger fails at once).
        SSLContext censorTls = CertificateAuthority.root("CN=ISP filter, O=Censor").issue("filter.isp.example").serverContext();
        internet.detour(CENSOR_SERVER, 80, add(new WebSite(loopback, null, WebSite.Page.html(200, BLOCKPAGE))).port());
        internet.detour(CENSOR_SERVER, 443, add(new WebSite(loopback, censorTls, WebSite.Page.html(200, BLOCKPAGE))).port());
        for (int i = 0; i < fb.size(); i++) {
            String ip = "127.100.3." + (i + 1);
            honest.on(fb.get(i).host(), DnsBehaviour.answer(ip));
            isp.on(fb.get(i).host(), DnsBehaviour.answer(CENSOR_SERVER));
            internet.detour(ip, 443, facebook);
        }
        messenger = new FacebookMessenger.Endpoints(fb, List.of(AddressRange.parse(FACEBOOK_RANGE)));
    }

    /**
     * A loopback port bound and not listening, for as long as the world runs: a connection to it
     * is refused at once, as when a censor answers the SYN with a reset.
     */
    private int refusingPort() throws IOException {
        Socket socket = add(new Socket());
        socket.bind(new InetSocketAddress(loopback, 0));
        return socket.getLocalPort();
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
