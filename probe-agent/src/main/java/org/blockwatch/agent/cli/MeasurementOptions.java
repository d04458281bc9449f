package org.blockwatch.agent.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.blockwatch.core.control.ControlClient;
import org.blockwatch.core.dns.ResolverAddress;
import org.blockwatch.core.ip.AddressRange;
import org.blockwatch.core.ip.Bogons;
import org.blockwatch.core.engine.EngineConfig;
import org.blockwatch.core.tls.TrustRoots;
import picocli.CommandLine.Option;

/** The options that {@code measure} and (later) {@code run} share, and their parsing. */
public final class MeasurementOptions {
    @Option(names = "--resolver", paramLabel = "IP[:PORT]",
            description = "Resolver to measure with instead of the system's (the OS resolver is then not asked).")
    String resolver;

    @Option(names = "--trust-ca", paramLabel = "PEM",
            description = "Extra trusted root certificate(s), for labs; the default trust store stays. Repeatable.")
    List<Path> trustCa = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "Timeout of each step (DNS query, connect, TLS handshake, HTTP read). Default: ${DEFAULT-VALUE}.")
    double timeoutSeconds;

    @Option(names = "--body-limit", paramLabel = "BYTES", defaultValue = "65536",
            description = "Bytes of each response body kept; the rest is not downloaded. Default: ${DEFAULT-VALUE}.")
    long bodyLimit;

    @Option(names = "--control", paramLabel = "URL",
            description = "Test helper to ask for the control measurement (OONI's protocol). Repeatable; tried in order. Default: OONI's public helpers.")
    List<String> control = new ArrayList<>();

    @Option(names = "--no-control", description = "Ask no test helper: verdicts then rest on signatures alone.")
    boolean noControl;

    @Option(names = "--control-token-file", paramLabel = "FILE", description = "Bearer token for a self-hosted helper that requires one.")
    Path controlTokenFile;

    @Option(names = "--public-range", paramLabel = "CIDR",
            description = "Labs only: an address range that stands for the public internet, not a bogon (OONI's bogons include 127/8, 10/8, 203.0.113/24...). Repeatable.")
    List<String> publicRanges = new ArrayList<>();

    /** The resolver option, parsed (null: the system's). */
    static ResolverAddress resolver(String text) {
        if (text == null) return null;
        try {
            return ResolverAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InputException("--resolver: " + e.getMessage());
        }
    }

    /** The certificates of every --trust-ca file. */
    static List<X509Certificate> trustedRoots(List<Path> files) {
        List<X509Certificate> roots = new ArrayList<>();
        for (Path pem : files) {
            try {
                roots.addAll(TrustRoots.readCertificates(pem));
            } catch (IOException e) {
                throw new InputException("--trust-ca: " + e.getMessage(), e);
            }
        }
        return roots;
    }

    /** The first line of a token file. */
    static String token(Path file, String option) {
        if (file == null) return null;
        try {
            String token = java.nio.file.Files.readAllLines(file).stream().findFirst().orElse("").strip();
            if (token.isEmpty()) throw new InputException(option + ": " + file + ": the first line is empty");
            return token;
        } catch (IOException e) {
            throw new InputException(option + ": " + file + ": cannot read (" + e.getClass().getSimpleName() + ")");
        }
    }

    Bogons bogons() {
        List<AddressRange> ranges = new ArrayList<>();
        for (String r : publicRanges) {
            try {
                ranges.add(AddressRange.parse(r));
            } catch (IllegalArgumentException e) {
                throw new InputException("--public-range: " + e.getMessage());
            }
        }
        return new Bogons(ranges);
    }

    /** The control client these options describe, or null with --no-control. */
    ControlClient controlClient(EngineConfig config) {
        if (noControl) {
            if (!control.isEmpty()) throw new InputException("--control and --no-control exclude each other");
            return null;
        }
        List<String> helpers = control.isEmpty() ? ControlClient.OONI_HELPERS : control;
        try {
            return new ControlClient(helpers, ControlClient.PER_HELPER, ControlClient.TOTAL,
                    TrustRoots.jdkPlus(config.extraRoots()), token(controlTokenFile, "--control-token-file"));
        } catch (IllegalArgumentException e) {
            throw new InputException("--control: " + e.getMessage());
        }
    }

    /** The engine configuration these options describe; a bad value is an {@link InputException}. */
    EngineConfig engineConfig() {
        EngineConfig config = EngineConfig.defaults();
        if (resolver != null) config = config.withResolver(resolver(resolver));
        if (!(timeoutSeconds > 0) || timeoutSeconds > 300) throw new InputException("--timeout: must be between 0 and 300 seconds, not " + timeoutSeconds);
        config = config.withStepTimeout(Duration.ofMillis(Math.round(timeoutSeconds * 1000)));
        if (bodyLimit < 0 || bodyLimit > 64L * 1024 * 1024) throw new InputException("--body-limit: must be between 0 and 67108864 bytes, not " + bodyLimit);
        config = config.withBodyLimit(bodyLimit);
        return config.withExtraRoots(trustedRoots(trustCa));
    }
}
