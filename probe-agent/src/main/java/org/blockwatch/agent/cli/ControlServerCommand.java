package org.blockwatch.agent.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.blockwatch.agent.control.ControlServer;
import org.blockwatch.core.control.ControlService;
import org.blockwatch.core.dns.IpLiteral;
import org.blockwatch.core.engine.EngineConfig;
import org.blockwatch.core.engine.WebEngine;
import org.blockwatch.core.ip.Bogons;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code blockwatch control-server}: a self-hostable test helper (OONI's protocol) until stopped. */
@Command(name = "control-server", mixinStandardHelpOptions = true,
        description = {"Serve the control (test helper) protocol, OONI-compatible, for probes inside a censored network.",
                "Run it outside that network. It refuses private, loopback and bogon destinations unless told otherwise."})
final class ControlServerCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ControlServerCommand.class);
    /** Bodies the helper reads, at most: enough to compare lengths, bounded for memory. */
    static final long BODY_LIMIT = 2L * 1024 * 1024;

    @Spec
    CommandSpec spec;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8080", description = "Where to listen. Default: ${DEFAULT-VALUE}.")
    String listen;

    @Option(names = "--resolver", paramLabel = "IP[:PORT]", description = "Resolver to use instead of the system's.")
    String resolver;

    @Option(names = "--trust-ca", paramLabel = "PEM", description = "Extra trusted root certificate(s), for labs. Repeatable.")
    List<Path> trustCa = new ArrayList<>();

    @Option(names = "--allow-private-destinations", description = "Labs only: also measure private, loopback and bogon addresses.")
    boolean allowPrivate;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Require 'Authorization: Bearer <first line of FILE>'.")
    Path tokenFile;

    @Option(names = "--max-concurrent", paramLabel = "N", defaultValue = "8", description = "Requests measured at once. Default: ${DEFAULT-VALUE}.")
    int maxConcurrent;

    @Option(names = "--rate-per-minute", paramLabel = "N", defaultValue = "60", description = "Requests per client per minute. Default: ${DEFAULT-VALUE}.")
    int ratePerMinute;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "15", description = "Timeout of each step. Default: ${DEFAULT-VALUE}.")
    double timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        InetSocketAddress address = listenAddress(listen);
        if (maxConcurrent < 1 || maxConcurrent > 256) throw new InputException("--max-concurrent: must be between 1 and 256");
        if (ratePerMinute < 1) throw new InputException("--rate-per-minute: must be at least 1");
        if (!(timeoutSeconds > 0) || timeoutSeconds > 120) throw new InputException("--timeout: must be between 0 and 120 seconds");
        String token = MeasurementOptions.token(tokenFile, "--token-file");
        Bogons bogons = Bogons.DEFAULT;
        EngineConfig config = EngineConfig.defaults()
                .withExtraRoots(MeasurementOptions.trustedRoots(trustCa))
                .withStepTimeout(Duration.ofMillis(Math.round(timeoutSeconds * 1000)))
                .withBodyLimit(BODY_LIMIT)
                .withDestinations(ip -> allowPrivate || !bogons.isBogon(ip.getHostAddress()));
        if (resolver != null) config = config.withResolver(MeasurementOptions.resolver(resolver));
        CountDownLatch stopped = new CountDownLatch(1);
        try (WebEngine engine = new WebEngine(config);
                ControlServer server = new ControlServer(address, new ControlService(engine, bogons),
                        new ControlServer.Limits(maxConcurrent, ratePerMinute, token))) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "control-server-stop"));
            log.info("control server listening on {}:{}{}", server.address().getHostString(), server.address().getPort(),
                    allowPrivate ? " (private destinations allowed)" : "");
            spec.commandLine().getOut().println("control server listening on http://" + server.address().getHostString() + ":"
                    + server.address().getPort() + "/");
            spec.commandLine().getOut().flush();
            stopped.await();
        } catch (IOException e) {
            throw new InputException("--listen " + listen + ": " + e.getMessage(), e);
        }
        return ExitCode.OK;
    }

    static InetSocketAddress listenAddress(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) throw new InputException("--listen: expected HOST:PORT, not '" + text + "'");
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) throw new InputException("--listen: port must be 0-65535 in '" + text + "'");
        var ip = IpLiteral.parse(host).orElseThrow(() -> new InputException("--listen: expected an IP address, not '" + text + "'"));
        return new InetSocketAddress(ip, port);
    }
}
