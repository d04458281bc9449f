package org.blockwatch.core.apps;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.blockwatch.core.control.ControlClient;
import org.blockwatch.core.control.wire.ControlResponse;
import org.blockwatch.core.control.wire.ControlResult;
import org.blockwatch.core.dns.ResolverAddress;
import org.blockwatch.core.engine.EngineConfig;
import org.blockwatch.core.engine.Steps;
import org.blockwatch.core.engine.WebEngine;
import org.blockwatch.core.tls.TrustRoots;
import org.blockwatch.sim.Blackhole;
import org.blockwatch.sim.CensoredPath;
import org.blockwatch.sim.CertificateAuthority;
import org.blockwatch.sim.DnsBehaviour;
import org.blockwatch.sim.Fault;
import org.blockwatch.sim.FaultServer;
import org.blockwatch.sim.SimDnsServer;

/**
 * A loopback world for the app kinds' tests: a resolver, and the apps' "public" addresses
 * (127.100.x.x) on their real ports carried by a {@link CensoredPath} to loopback servers: one
 * that answers any HTTP request, TLS servers under a test root, servers that reset, stall or
 * refuse. A test routes each address:port where its scenario needs it; a route not given is
 * refused. The control is simulated: a test says what it sees.
 */
public final class AppWorld implements AutoCloseable {
    public final CertificateAuthority trusted = CertificateAuthority.root("CN=blockwatch app test root, O=blockwatch");
    public final SimDnsServer dns;
    public final CensoredPath path = new CensoredPath();
    public final MockWebServer http = new MockWebServer();
    public final FaultServer reset;
    public final FaultServer stall;
    public final Blackhole blackhole;
    public final int closedPort;
    private final List<AutoCloseable> resources = new ArrayList<>();

    public AppWorld() throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        dns = add(new SimDnsServer().otherwise(new DnsBehaviour.Code(org.xbill.DNS.Rcode.NXDOMAIN)));
        http.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                // What Telegram's data centres say to a bare POST: nginx's 404.
                return new MockResponse.Builder().code(404).addHeader("Server", "nginx/0.3.33").body("<html><title>404 Not Found</title></html>").build();
            }
        });
        http.start(loopback, 0);
        resources.add(http);
        reset = add(new FaultServer(Fault.RESET_ON_FIRST_DATA));
        stall = add(new FaultServer(Fault.STALL));
        blackhole = add(new Blackhole());
        try (ServerSocket s = new ServerSocket(0, 1, loopback)) {
            closedPort = s.getLocalPort(); // nothing listens here once it is closed
        }
    }

    /** An HTTPS server for {@code names} whose chain is issued by {@code ca}, answering 200 to anything. */
    public MockWebServer https(CertificateAuthority ca, String... names) throws IOException {
        MockWebServer s = new MockWebServer();
        s.useHttps(ca.issue(names).serverContext().getSocketFactory());
        s.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(200).body("<html><title>ok</title></html>").build();
            }
        });
        s.start(InetAddress.getByName("127.0.0.1"), 0);
        resources.add(s);
        return s;
    }

    /** {@code ip:port} carried to the loopback server on {@code loopbackPort}. */
    public AppWorld route(String ip, int port, int loopbackPort) {
        path.detour(ip, port, loopbackPort);
        return this;
    }

    /** {@code name} resolves to {@code ips}. */
    public AppWorld name(String name, String... ips) {
        dns.on(name, DnsBehaviour.answer(ips));
        return this;
    }

    /** The steps of an engine on this world (its resolver, its path), validating against the JDK's roots and the test root; closed with the world. */
    public Steps steps() {
        EngineConfig config = EngineConfig.defaults().toBuilder()
                .resolver(new ResolverAddress(dns.socketAddress()))
                .sockets(path)
                .stepTimeout(Duration.ofSeconds(2))
                .dnsLateWindow(Duration.ofMillis(50))
                .build();
        WebEngine engine = new WebEngine(config, TrustRoots.jdkPlus(List.of(trusted.certificate())));
        resources.add(engine);
        return engine.steps();
    }

    /** A control that sees what {@code response} says of any query, and records the queries. */
    public static final class Control implements Function<ControlClient.Query, ControlResult> {
        public final List<ControlClient.Query> queries = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final Function<ControlClient.Query, ControlResponse> response;

        public Control(Function<ControlClient.Query, ControlResponse> response) {
            this.response = response;
        }

        @Override
        public ControlResult apply(ControlClient.Query q) {
            queries.add(q);
            return new ControlResult(response.apply(q), null, "https://control.test");
        }

        public AppControl control() {
            return AppControl.answering(this);
        }
    }

    /** A control that reaches every endpoint it is asked and fetches the URL, whose host resolves to {@code addresses}. */
    public static Control controlReachingAll(String... addresses) {
        return new Control(q -> response(q, true, true, addresses));
    }

    /** A control for which nothing answers: everything is down for everyone. */
    public static Control controlReachingNothing() {
        return new Control(q -> response(q, false, false));
    }

    public static ControlResponse response(ControlClient.Query q, boolean tcp, boolean web, String... addresses) {
        Map<String, ControlResponse.TcpConnect> connects = new java.util.LinkedHashMap<>();
        for (String e : q.endpoints()) connects.put(e, new ControlResponse.TcpConnect(tcp, tcp ? null : "connection_refused"));
        ControlResponse.HttpRequest http = web ? new ControlResponse.HttpRequest(10, null, "ok", Map.of(), 200)
                : new ControlResponse.HttpRequest(-1, "connection_refused", null, Map.of(), -1);
        ControlResponse.Dns dns = addresses.length == 0 ? new ControlResponse.Dns("dns_nxdomain_error", List.of())
                : new ControlResponse.Dns(null, List.of(addresses));
        return new ControlResponse(dns, connects, Map.of(), http, Map.of());
    }

    private <T extends AutoCloseable> T add(T resource) {
        resources.add(resource);
        return resource;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable r : resources.reversed()) r.close();
    }
}
