package org.blockwatch.agent.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.blockwatch.agent.settings.Key;
import org.blockwatch.agent.settings.Keys;
import org.blockwatch.agent.settings.ProbeFactory;
import org.blockwatch.agent.settings.Settings;
import org.blockwatch.core.engine.EngineConfig;
import org.blockwatch.core.engine.WebEngine;
import org.blockwatch.core.ip.Bogons;
import java.time.Duration;
import org.blockwatch.core.ip.Endpoint;
import org.blockwatch.core.locate.CymruLookup;
import org.blockwatch.helper.AsnCache;
import org.blockwatch.helper.ControlServer;
import org.blockwatch.helper.ControlService;
import org.blockwatch.helper.http.PublicServer;
import org.blockwatch.helper.http.ServerLimits;
import org.blockwatch.helper.http.Tls;
import org.blockwatch.helper.ports.PortList;
import org.blockwatch.helper.ports.PortListener;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code blockwatch control-server}: a self-hostable test helper (OONI's protocol) until stopped. */
@Command(name = "control-server", mixinStandardHelpOptions = true,
        header = "Serve the control (test helper) protocol for probes inside a censored network.",
        description = "Serve the control (test helper) protocol, OONI-compatible, for probes inside a censored network. Run "
                + "it outside that network. It refuses private, loopback and bogon destinations unless told otherwise. With --ports-tcp "
                + "and --ports-udp it also listens on those ports for the portfiltering kind, e.g. --ports-tcp "
                + "22,53,80,443,853,1194,3785,5222,8080 --ports-udp 53,443, so that probes inside can tell which ways out survive.")
final class ControlServerCommand implements Callable<Integer>, TakesSettings {
    private static final Logger log = LoggerFactory.getLogger(ControlServerCommand.class);
    /** Bodies the helper reads, at most: enough to compare lengths, bounded for memory. */
    static final long BODY_LIMIT = 2L * 1024 * 1024;

    @Spec
    CommandSpec spec;

    @Override
    public List<Key<?>> settingKeys() {
        return List.of(Keys.HELPER_LISTEN, Keys.RESOLVER, Keys.TRUST_CA, Keys.ALLOW_PRIVATE, Keys.HELPER_TOKEN_FILE, Keys.MAX_CONCURRENT,
                Keys.MAX_PER_CLIENT, Keys.RATE_PER_MINUTE, Keys.TRUSTED_PROXIES, Keys.HELPER_TIMEOUT, Keys.HELPER_ASN_ZONE,
                Keys.HELPER_PORTS_TCP, Keys.HELPER_PORTS_UDP, Keys.HELPER_CONNECTIONS_PER_ADDRESS, Keys.HELPER_TLS_CERT, Keys.HELPER_TLS_KEY,
                Keys.HELPER_ACCESS_LOG);
    }

    /**
     * The port-filtering listener of --ports-tcp and --ports-udp, on --listen's address; null when
     * neither is given. A bad list, the control server's own port, or a port that cannot be bound
     * stops the command at start (exit 2), naming the option and the port.
     */
    static PortListener portListener(Settings settings, InetSocketAddress listen) {
        List<Integer> tcp;
        List<Integer> udp;
        try {
            tcp = PortList.parse(settings.get(Keys.HELPER_PORTS_TCP), Keys.HELPER_PORTS_TCP.option());
            udp = PortList.parse(settings.get(Keys.HELPER_PORTS_UDP), Keys.HELPER_PORTS_UDP.option());
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage(), e);
        }
        if (tcp.isEmpty() && udp.isEmpty()) return null;
        if (tcp.contains(listen.getPort())) {
            throw new InputException("--ports-tcp " + listen.getPort() + ": that is the control server's own port (--listen)", null);
        }
        try {
            return PortListener.start(listen.getAddress(), tcp, udp, PortListener.Limits.defaults());
        } catch (IOException e) {
            String option = e.getMessage() != null && e.getMessage().startsWith("udp/") ? "--ports-udp" : "--ports-tcp";
            throw new InputException(option + ": " + e.getMessage(), e);
        }
    }

    /** The addresses of --trusted-proxy ({@code key}), canonical; a value that is not an address is refused (exit 2). */
    static java.util.Set<String> proxies(Settings settings, Key<List<String>> key) {
        java.util.Set<String> proxies = new java.util.HashSet<>();
        for (String proxy : settings.get(key)) {
            proxies.add(org.blockwatch.core.ip.IpLiteral.parse(proxy).map(java.net.InetAddress::getHostAddress)
                    .orElseThrow(() -> new InputException("--trusted-proxy " + proxy + ": not an IP address", null)));
        }
        return proxies;
    }

    /**
     * How an internet-facing server listens: {@code --listen}, connections per address, TLS from
     * --tls-cert/--tls-key (read now, so that a bad file stops the command at start with its name),
     * the access log.
     */
    static PublicServer.Options serverOptions(InetSocketAddress listen, int perAddress, Path cert, Path key, Path accessLog) {
        Tls tls = null;
        if (cert != null) {
            tls = new Tls(cert, key);
            try {
                tls.keyStore();
            } catch (IOException e) {
                throw new InputException("--tls-cert: " + e.getMessage(), e);
            }
        } else if (key != null) {
            throw new InputException("--tls-key needs --tls-cert", null);
        }
        return new PublicServer.Options(listen, ServerLimits.defaults().withConnectionsPerAddress(perAddress), tls, accessLog);
    }

    /** The AS lookup of ip_info, or none without --asn-zone. */
    static AsnCache asns(Settings settings) {
        String zone = settings.get(Keys.HELPER_ASN_ZONE);
        if (zone.isEmpty()) return AsnCache.NONE;
        Duration timeout = Duration.ofSeconds(3);
        return new AsnCache(a -> new CymruLookup(ProbeFactory.lookupResolver(settings), zone, timeout).lookup(a), Duration.ofHours(6),
                java.time.Clock.systemUTC());
    }

    @Override
    public Integer call() throws Exception {
        Settings settings = settings(spec);
        InetSocketAddress address = settings.get(Keys.HELPER_LISTEN);
        boolean allowPrivate = settings.get(Keys.ALLOW_PRIVATE);
        String token = ProbeFactory.token(settings.get(Keys.HELPER_TOKEN_FILE), Keys.HELPER_TOKEN_FILE);
        java.util.Set<String> proxies = proxies(settings, Keys.TRUSTED_PROXIES);
        PublicServer.Options options = serverOptions(address, settings.get(Keys.HELPER_CONNECTIONS_PER_ADDRESS), settings.get(Keys.HELPER_TLS_CERT),
                settings.get(Keys.HELPER_TLS_KEY), settings.get(Keys.HELPER_ACCESS_LOG));
        Bogons bogons = Bogons.DEFAULT;
        EngineConfig config = EngineConfig.defaults()
                .withResolver(settings.get(Keys.RESOLVER))
                .withExtraRoots(ProbeFactory.roots(settings.get(Keys.TRUST_CA)))
                .withStepTimeout(settings.get(Keys.HELPER_TIMEOUT))
                .withBodyLimit(BODY_LIMIT)
                .withDestinations(ip -> allowPrivate || !bogons.isBogon(ip.getHostAddress()));
        CountDownLatch stopped = new CountDownLatch(1);
        try (WebEngine engine = new WebEngine(config);
                ControlServer server = new ControlServer(options, new ControlService(engine, bogons, asns(settings)),
                        new ControlServer.Limits(settings.get(Keys.MAX_CONCURRENT), settings.get(Keys.MAX_PER_CLIENT),
                                settings.get(Keys.RATE_PER_MINUTE), token, proxies));
                PortListener ports = portListener(settings, server.address())) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "control-server-stop"));
            log.info("control server listening on {}{}", Endpoint.of(server.address()), allowPrivate ? " (private destinations allowed)" : "");
            spec.commandLine().getOut().println("control server listening on " + server.scheme() + "://" + Endpoint.of(server.address()) + "/");
            if (ports != null) {
                log.info("port-filtering listener on {}", ports.describe());
                spec.commandLine().getOut().println("port-filtering listener on " + ports.describe());
            }
            spec.commandLine().getOut().flush();
            stopped.await();
        } catch (IOException e) {
            throw new InputException("--listen " + Endpoint.of(address) + ": " + e.getMessage(), e);
        }
        return ExitCode.OK;
    }
}
