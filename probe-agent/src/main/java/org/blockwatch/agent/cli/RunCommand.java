package org.blockwatch.agent.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.blockwatch.agent.run.Agent;
import org.blockwatch.agent.run.Consent;
import org.blockwatch.agent.run.Logging;
import org.blockwatch.agent.run.Signals;
import org.blockwatch.agent.settings.Key;
import org.blockwatch.agent.settings.Keys;
import org.blockwatch.agent.settings.ProbeFactory;
import org.blockwatch.agent.settings.Settings;
import org.blockwatch.agent.store.MeasurementStore;
import org.blockwatch.agent.store.StoreException;
import org.blockwatch.agent.store.StoreLock;
import org.blockwatch.agent.settings.Tests;
import org.blockwatch.agent.targets.Target;
import org.blockwatch.agent.targets.TargetList;
import org.blockwatch.agent.targets.TargetListLoader;
import org.blockwatch.agent.units.Units;
import org.blockwatch.core.ip.Endpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code blockwatch run}: the agent, until SIGTERM or SIGINT. */
@Command(name = "run", mixinStandardHelpOptions = true,
        header = "Run the agent: measure the targets on a schedule, store and serve the results.",
        description = "Run the agent: measure the configured targets on a schedule, store every measurement, serve metrics "
                + "(127.0.0.1:9466 by default), until stopped with SIGTERM or SIGINT. Options override the "
                + "configuration file's keys (see config/blockwatch.sample.yaml). Without consent to the current consent text, "
                + "it asks for it on a terminal (as 'blockwatch consent' does) and refuses to start elsewhere.")
final class RunCommand implements Callable<Integer>, TakesSettings {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Spec
    CommandSpec spec;

    /** The volunteer's terminal, when there is one, for the consent (a test sets a scripted one). */
    java.util.function.Supplier<java.util.Optional<org.blockwatch.agent.run.Terminal>> terminal = org.blockwatch.agent.run.Terminal::system;

    @Override
    public List<Key<?>> settingKeys() {
        return Stream.concat(Stream.of(Keys.CONFIG, Keys.ACCEPT_CONSENT, Keys.METRICS_LISTEN, Keys.STORE), Keys.MEASUREMENT.stream()).toList();
    }

    @Override
    public Integer call() throws Exception {
        Settings settings = settings(spec);
        Path file = settings.file();
        Logging.configure(settings.get(Keys.LOG_FORMAT), settings.get(Keys.LOG_LEVEL));
        if (settings.get(Keys.ACCEPT_CONSENT)) Consent.record(file, Consent.Via.RUN_ACCEPT);
        // On a terminal, without consent to this text, the volunteer is asked; a service is refused.
        ConsentCommand.require(settings.get(Keys.CONSENT), file, terminal, spec.commandLine().getErr());
        // One agent per store (tools32): a second run is refused before it loads or measures anything.
        try (StoreLock lock = lock(settings)) {
            return runHolding(settings);
        }
    }

    /** The store's lock for this agent, or the input error that names who holds it. */
    static StoreLock lock(Settings settings) {
        try {
            return StoreLock.acquire(settings.storePath(), "run");
        } catch (StoreException e) {
            throw new InputException(e.getMessage(), e);
        }
    }

    private Integer runHolding(Settings settings) throws Exception {
        List<String> lists = settings.get(Keys.TARGET_LISTS);
        TargetList list;
        try {
            list = TargetListLoader.load(lists, settings.get(Keys.CATEGORIES), TargetsCommand.updatedLists(settings));
        } catch (IOException e) {
            throw new InputException("targets.lists: " + e.getMessage(), e);
        }
        list.problems().forEach(p -> log.warn("target list: {}", p));
        List<Target> targets = Tests.targets(settings, list.targets());
        if (targets.isEmpty()) throw new InputException("targets.lists, tests.enabled: nothing to measure (lists " + lists + ", tests "
                + settings.get(Keys.TESTS_ENABLED) + ")");

        ProbeFactory.Parts parts = ProbeFactory.probe(settings);
        MeasurementStore store;
        try {
            store = MeasurementStore.open(settings.storePath());
        } catch (StoreException e) {
            throw new InputException(e.getMessage(), e);
        }
        CountDownLatch stop = new CountDownLatch(1);
        Signals.onStop(stop::countDown);
        Agent agent;
        try {
            agent = new Agent(settings, targets, parts, store, Version.current());
        } catch (IOException e) {
            store.close();
            throw new InputException("metrics.listen " + Keys.METRICS_LISTEN.format(settings.get(Keys.METRICS_LISTEN)) + ": " + e.getMessage(), e);
        }
        try (agent) {
            log.info("blockwatch {} measuring {} targets every {} (store {}, metrics http://{}/metrics)", Version.current(),
                    targets.size(), Units.duration(settings.get(Keys.INTERVAL)), settings.storePath(), Endpoint.of(agent.metricsAddress()));
            agent.runUntil(stop);
            log.info("stopped");
        }
        return ExitCode.OK;
    }
}
