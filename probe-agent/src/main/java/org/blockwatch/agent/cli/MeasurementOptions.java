package org.blockwatch.agent.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.blockwatch.core.dns.ResolverAddress;
import org.blockwatch.core.engine.EngineConfig;
import org.blockwatch.core.tls.TrustRoots;
import picocli.CommandLine.Option;

/** The options that {@code measure} and (later) {@code run} share. */
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

    /** The engine configuration these options describe; a bad value is an {@link InputException}. */
    EngineConfig engineConfig() {
        EngineConfig config = EngineConfig.defaults();
        if (resolver != null) {
            try {
                config = config.withResolver(ResolverAddress.parse(resolver));
            } catch (IllegalArgumentException e) {
                throw new InputException("--resolver: " + e.getMessage());
            }
        }
        if (!(timeoutSeconds > 0) || timeoutSeconds > 300) throw new InputException("--timeout: must be between 0 and 300 seconds, not " + timeoutSeconds);
        config = config.withStepTimeout(Duration.ofMillis(Math.round(timeoutSeconds * 1000)));
        if (bodyLimit < 0 || bodyLimit > 64L * 1024 * 1024) throw new InputException("--body-limit: must be between 0 and 67108864 bytes, not " + bodyLimit);
        config = config.withBodyLimit(bodyLimit);
        List<X509Certificate> roots = new ArrayList<>();
        for (Path pem : trustCa) {
            try {
                roots.addAll(TrustRoots.readCertificates(pem));
            } catch (IOException e) {
                throw new InputException("--trust-ca: " + e.getMessage(), e);
            }
        }
        return config.withExtraRoots(roots);
    }
}
