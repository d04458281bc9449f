package org.blockwatch.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.blockwatch.core.control.ControlClient;

/**
 * Everything the agent is told, with the defaults a volunteer gets without a file. The sample
 * with every key and its meaning is {@code config/blockwatch.sample.yaml}.
 */
public record AgentConfig(
        boolean consent,
        List<String> targetLists,
        List<String> categories,
        Duration interval,
        Duration jitter,
        int concurrency,
        Duration sweepBudget,
        long bandwidthPerHour,
        Duration timeout,
        long bodyLimit,
        String resolver,
        List<Path> trustCa,
        List<String> controlHelpers,
        Path controlTokenFile,
        String metricsListen,
        Path storePath,
        String asn,
        String country,
        String networkName,
        String logFormat,
        String logLevel,
        List<String> publicRanges) {

    public AgentConfig {
        targetLists = List.copyOf(targetLists);
        categories = List.copyOf(categories);
        trustCa = List.copyOf(trustCa);
        controlHelpers = List.copyOf(controlHelpers);
        publicRanges = List.copyOf(publicRanges);
    }

    public static AgentConfig defaults(Path dataHome) {
        return new AgentConfig(false, List.of("builtin:kz", "builtin:global"), List.of(), Duration.ofHours(1), Duration.ofMinutes(10), 4,
                Duration.ofMinutes(50), 200L * 1000 * 1000, Duration.ofSeconds(10), 64 * 1024, null, List.of(),
                ControlClient.OONI_HELPERS, null, "127.0.0.1:9466", dataHome.resolve("blockwatch").resolve("blockwatch.db"),
                "AS0", "ZZ", "", "text", "info", List.of());
    }
}
