package org.blockwatch.agent.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.blockwatch.agent.config.AgentConfig;
import org.blockwatch.agent.run.Agent;
import org.blockwatch.agent.run.Consent;
import org.blockwatch.agent.run.Logging;
import org.blockwatch.agent.run.Signals;
import org.blockwatch.agent.store.MeasurementStore;
import org.blockwatch.agent.store.StoreException;
import org.blockwatch.agent.targets.TargetList;
import org.blockwatch.agent.targets.TargetListLoader;
import org.blockwatch.core.control.ControlClient;
import org.blockwatch.core.engine.EngineConfig;
import org.blockwatch.core.ip.AddressRange;
import org.blockwatch.core.ip.Bogons;
import org.blockwatch.core.tls.TrustRoots;
import org.blockwatch.core.verdict.Analyzer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code blockwatch run}: the agent, until SIGTERM or SIGINT. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the agent: measure the configured targets on a schedule, store every measurement,",
                "serve metrics (127.0.0.1:9466 by default), until stopped with SIGTERM or SIGINT."})
final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Configuration file (YAML). Default: $XDG_CONFIG_HOME/blockwatch/config.yaml when it exists.")
    Path configFile;

    @Option(names = "--accept-consent", description = "Acknowledge the consent text (see 'blockwatch consent') and remember it.")
    boolean acceptConsent;

    @Mixin
    MeasurementOptions options;

    @Override
    public Integer call() throws Exception {
        Path file = ConfigFile.resolve(configFile);
        AgentConfig config = ConfigFile.load(file);
        Logging.configure(config.logFormat(), config.logLevel());
        if (acceptConsent) Consent.record(file);
        if (!Consent.given(config.consent(), file)) {
            spec.commandLine().getErr().println(Consent.TEXT);
            throw new InputException("consent needed before measuring: run '" + Consent.acceptCommand(file)
                    + "' (or 'run --accept-consent'), or set 'consent: true' in the configuration");
        }
        TargetList list;
        try {
            list = TargetListLoader.load(config.targetLists(), config.categories());
        } catch (IOException e) {
            throw new InputException("targets.lists: " + e.getMessage(), e);
        }
        list.problems().forEach(p -> log.warn("target list: {}", p));
        if (list.targets().isEmpty()) throw new InputException("targets.lists: no target to measure (lists " + config.targetLists() + ")");

        EngineConfig engineConfig = engineConfig(config);
        ControlClient control = controlClient(config, engineConfig);
        Bogons bogons = new Bogons(config.publicRanges().stream().map(AddressRange::parse).toList());
        InetSocketAddress listen = ControlServerCommand.listenAddress(config.metricsListen());
        MeasurementStore store;
        try {
            store = MeasurementStore.open(config.storePath());
        } catch (StoreException e) {
            throw new InputException(e.getMessage(), e);
        }
        CountDownLatch stop = new CountDownLatch(1);
        Signals.onStop(stop::countDown);
        Agent agent;
        try {
            agent = new Agent(config, list.targets(), engineConfig, control, Analyzer.standard(bogons), store, listen, Version.current());
        } catch (IOException e) {
            store.close();
            throw new InputException("metrics.listen " + config.metricsListen() + ": " + e.getMessage(), e);
        }
        try (agent) {
            log.info("blockwatch {} measuring {} targets every {} (store {}, metrics http://{}:{}/metrics)", Version.current(),
                    list.targets().size(), config.interval(), config.storePath(), agent.metricsAddress().getHostString(),
                    agent.metricsAddress().getPort());
            agent.runUntil(stop);
            log.info("stopped");
        }
        return ExitCode.OK;
    }

    /** The configuration's engine, with any option given on the command line taking precedence. */
    private EngineConfig engineConfig(AgentConfig config) {
        var parsed = spec.commandLine().getParseResult();
        EngineConfig c = EngineConfig.defaults()
                .withStepTimeout(parsed.hasMatchedOption("--timeout") ? Duration.ofMillis(Math.round(options.timeoutSeconds * 1000)) : config.timeout())
                .withBodyLimit(parsed.hasMatchedOption("--body-limit") ? options.bodyLimit : config.bodyLimit())
                .withExtraRoots(MeasurementOptions.trustedRoots(parsed.hasMatchedOption("--trust-ca") ? options.trustCa : config.trustCa()));
        String resolver = parsed.hasMatchedOption("--resolver") ? options.resolver : config.resolver();
        if (resolver != null) c = c.withResolver(MeasurementOptions.resolver(resolver));
        return c;
    }

    private ControlClient controlClient(AgentConfig config, EngineConfig engineConfig) {
        var parsed = spec.commandLine().getParseResult();
        if (parsed.hasMatchedOption("--no-control") || parsed.hasMatchedOption("--control")) return options.controlClient(engineConfig);
        if (config.controlHelpers().isEmpty()) return null;
        try {
            return new ControlClient(config.controlHelpers(), ControlClient.PER_HELPER, ControlClient.TOTAL,
                    TrustRoots.jdkPlus(engineConfig.extraRoots()), MeasurementOptions.token(config.controlTokenFile(), "control.token_file"));
        } catch (IllegalArgumentException e) {
            throw new InputException("control.helpers: " + e.getMessage());
        }
    }
}
