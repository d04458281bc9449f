package org.blockwatch.agent.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Clock;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.blockwatch.agent.metrics.AgentMetrics;
import org.blockwatch.agent.metrics.MetricsServer;
import org.blockwatch.agent.run.Logging;
import org.blockwatch.agent.run.Signals;
import org.blockwatch.agent.settings.Key;
import org.blockwatch.agent.settings.Keys;
import org.blockwatch.agent.settings.ProbeFactory;
import org.blockwatch.agent.settings.Settings;
import org.blockwatch.agent.schedule.BandwidthBudget;
import org.blockwatch.agent.schedule.Sweeper;
import org.blockwatch.agent.sink.MeasurementSink;
import org.blockwatch.agent.targets.Target;
import org.blockwatch.agent.store.MeasurementStore;
import org.blockwatch.agent.store.StoreException;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.control.ControlClient;
import org.blockwatch.core.engine.TargetUrl;
import org.blockwatch.core.engine.WebEngine;
import org.blockwatch.core.ip.Endpoint;
import org.blockwatch.core.nettest.Measurement;
import org.blockwatch.core.nettest.Nettests;
import org.blockwatch.core.stun.StunReachability;
import org.blockwatch.core.step.Timeouts;
import org.blockwatch.core.tls.TrustRoots;
import org.blockwatch.core.verdict.Analyzer;
import org.blockwatch.core.verdict.Verdict;
import org.blockwatch.scenarios.CensoredWorld;
import org.blockwatch.scenarios.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code blockwatch demo}: the scenario table's censored world inside the process, measured for real. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        header = "Measure a simulated censored network inside this process (no network, no root needed).",
        description = "Start a simulated censored network inside this process (a lying resolver, a censor on the path, web "
                + "servers, a control server, all on loopback), measure every site with the real engine and analysis, "
                + "print what the censor did beside what the probe concluded, and serve the metrics. Needs no network "
                + "and no root.")
final class DemoCommand implements Callable<Integer>, TakesSettings {
    private static final String CATEGORY = "DEMO";

    @Spec
    CommandSpec spec;

    @Override
    public List<Key<?>> settingKeys() {
        return List.of(Keys.SERVE, Keys.METRICS_LISTEN, Keys.STORE);
    }

    @Override
    public Integer call() throws Exception {
        Settings settings = settings(spec);
        Logging.configure("text", "warn");
        PrintWriter out = spec.commandLine().getOut();
        boolean serve = settings.get(Keys.SERVE);
        Path store = settings.get(Keys.STORE) != null ? settings.get(Keys.STORE) : Files.createTempDirectory("blockwatch-demo").resolve("demo.db");
        ProbeInfo probe = new ProbeInfo("AS0", "ZZ", "blockwatch demo", "blockwatch", Version.current());
        out.println("Starting a censored network on loopback and measuring it...");
        out.flush();
        try (CensoredWorld world = CensoredWorld.start();
                AgentMetrics metrics = new AgentMetrics(Version.current(), probe.asn(), probe.cc(), probe.networkName());
                MetricsServer server = metricsServer(settings, metrics);
                MeasurementStore measurements = openStore(store)) {
            TrustRoots trust = TrustRoots.jdkPlus(List.of(world.root()));
            Duration step = world.probeEngine().stepTimeout();
            ControlClient control = new ControlClient(List.of(world.controlUrl()), Timeouts.controlPerHelper(step), Timeouts.controlTotal(step), trust,
                    null);
            ProbeFactory.Parts parts = new ProbeFactory.Parts(world.probeEngine(), trust, control, Analyzer.standard(world.bogons()), DemoApps.of(world));
            return measure(world, parts, metrics, server, new MeasurementSink(measurements, metrics, probe), store, serve);
        }
    }

    private int measure(CensoredWorld world, ProbeFactory.Parts parts, AgentMetrics metrics, MetricsServer server, MeasurementSink sink, Path store,
            boolean serve) throws InterruptedException, StoreException {
        PrintWriter out = spec.commandLine().getOut();
        try (WebEngine engine = parts.newEngine(metrics.steps())) {
            Nettests kinds = parts.nettests(engine, metrics.steps(), world.probeStunSource());
            // The agent's own sweep: each site measured, a new state confirmed by a second measurement,
            // stored, counted and published through the sink, as `blockwatch run` does. The demo keeps
            // each site's last measurement to show it beside what the censor did.
            Map<String, Measurement> last = new ConcurrentHashMap<>();
            Sweeper sweeper = new Sweeper(t -> {
                Measurement m = Nettests.measure(kinds.require(t.testName()), t.input());
                last.put(t.label(), m);
                return m;
            }, sink, new BandwidthBudget(Long.MAX_VALUE), 8, Duration.ofHours(1), Clock.systemUTC(), new Random());
            List<Target> targets = new ArrayList<>(world.scenarios().stream()
                    .map(s -> new Target(TargetUrl.parse(world.url(s)), CATEGORY, "The demo's censored world", "demo")).toList());
            for (CensoredWorld.StunServer stun : world.stunServers()) {
                targets.add(new Target(StunReachability.TEST_NAME, stun.input(), CATEGORY, "The demo's censored world", "demo", false));
            }
            // The apps (issue 30), each a target named by its test name, at this world's servers.
            for (DemoApps.App app : DemoApps.APPS) targets.add(new Target(app.testName(), "", CATEGORY, "The demo's censored world", "demo", false));
            sweeper.sweep(targets, new AtomicBoolean());
            Map<String, Measurement> first = Map.copyOf(last);

            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"SITE", "WHAT THE CENSOR DOES", "VERDICT", "METHOD", "FLAGS", "AS EXPECTED"});
            int matching = 0;
            for (Scenario s : world.scenarios()) {
                Verdict v = first.get(world.url(s)).verdict();
                boolean ok = s.withControl().matches(v);
                if (ok) matching++;
                rows.add(new String[] {world.url(s), s.censor().description(), v.status().label(), v.method() == null ? "-" : v.method().label(),
                        v.flags().isEmpty() ? "-" : String.join(" ", v.flags()), ok ? "yes" : "NO (expected " + s.withControl() + ")"});
            }
            TextTable.print(out, rows);
            out.println();
            out.println(matching + " of " + world.scenarios().size() + " verdicts match what the censor did.");
            // The other kinds of measurement, in the same sweep: STUN reachability (what calls need).
            List<String[]> stunRows = new ArrayList<>();
            stunRows.add(new String[] {"STUN SERVER", "WHAT THE CENSOR DOES", "VERDICT", "METHOD", "AS EXPECTED"});
            int stunMatching = 0;
            for (CensoredWorld.StunServer stun : world.stunServers()) {
                Verdict v = first.get(stun.input()).verdict();
                boolean ok = stun.blocked() ? v.status() == Verdict.Status.BLOCKED : v.status() == Verdict.Status.ACCESSIBLE;
                if (ok) stunMatching++;
                stunRows.add(new String[] {stun.input(), stun.description(), v.status().label(), v.method() == null ? "-" : v.method().label(),
                        ok ? "yes" : "NO (expected " + (stun.blocked() ? "blocked" : "accessible") + ")"});
            }
            out.println();
            TextTable.print(out, stunRows);
            out.println();
            out.println(stunMatching + " of " + world.stunServers().size() + " STUN verdicts match what the censor did (stunreachability).");
            matching += stunMatching;
            // The apps, in the same sweep.
            List<String[]> appRows = new ArrayList<>();
            appRows.add(new String[] {"APP", "WHAT THE CENSOR DOES", "VERDICT", "METHOD", "AS EXPECTED"});
            int appMatching = 0;
            for (DemoApps.App app : DemoApps.APPS) {
                Verdict v = first.get(app.testName()).verdict();
                boolean ok = v.status() == app.status() && java.util.Objects.equals(v.method(), app.method());
                if (ok) appMatching++;
                appRows.add(new String[] {app.testName(), app.censor(), v.status().label(), v.method() == null ? "-" : v.method().label(),
                        ok ? "yes" : "NO (expected " + app.status().label() + (app.method() == null ? "" : " " + app.method().label()) + "; " + v.explanation() + ")"});
            }
            out.println();
            TextTable.print(out, appRows);
            out.println();
            out.println(appMatching + " of " + DemoApps.APPS.size() + " app verdicts match what the censor did ("
                    + String.join(", ", DemoApps.APPS.stream().map(DemoApps.App::testName).toList()) + ").");
            matching += appMatching;
            // A second sweep, as the agent's next one: a timeline needs two measurements in a row.
            sweeper.sweep(targets, new AtomicBoolean());
            int same = 0;
            for (Scenario s : world.scenarios()) {
                Verdict a = first.get(world.url(s)).verdict(), b = last.get(world.url(s)).verdict();
                if (a.status() == b.status() && java.util.Objects.equals(a.method(), b.method())) same++;
            }
            out.println("Measured again, as the agent's next sweep would: " + same + " of " + world.scenarios().size()
                    + " verdicts the same (the exports show each site's timeline).");
            out.println("Measurements (OONI format, with the verdicts) stored in " + store + ".");
            out.println("Metrics: http://" + Endpoint.of(server.address()) + "/metrics"
                    + (serve ? " (serving until Ctrl-C)" : " (while the demo runs; --serve keeps them up)"));
            if (serve) fromOutside(world, store, out);
            out.flush();
            if (serve) {
                CountDownLatch stop = new CountDownLatch(1);
                Signals.onStop(stop::countDown);
                stop.await();
            }
            return matching == world.scenarios().size() + world.stunServers().size() + DemoApps.APPS.size() ? ExitCode.OK : ExitCode.FAILURE;
        }
    }

    /**
     * What another program (an agent, {@code blockwatch measure} in another terminal) can measure
     * while the demo serves: the sites, the ISP's resolver, the control and the root to trust,
     * written beside the store; and, honestly, which sites it sees censored.
     */
    private static void fromOutside(CensoredWorld world, Path store, PrintWriter out) {
        Path root = store.toAbsolutePath().resolveSibling("demo-root.pem");
        try {
            world.ca().writePem(root);
        } catch (java.io.IOException e) {
            out.println("(Could not write the demo's root certificate to " + root + ": " + e.getMessage() + ")");
            return;
        }
        List<Scenario> seen = world.scenarios().stream().filter(world::visibleFromOutside).toList();
        out.println();
        out.println("To measure this network from another terminal while the demo serves:");
        out.println("  blockwatch measure --resolver " + world.ispResolver() + " --control " + world.controlUrl() + " --trust-ca " + root
                + " --public-range " + CensoredWorld.PUBLIC_RANGE + " \\");
        out.println("      " + String.join(" ", seen.stream().map(world::url).toList()));
        out.println("Another program sees the DNS censorship of " + seen.stream().filter(s -> s.censor().name().startsWith("DNS_")).count()
                + " of these sites. The other sites of the table above are served too, but their");
        out.println("drops, resets, stalls, interceptions, blockpages and throttling happen in the demo's own sockets: to");
        out.println("another program they look accessible (lab/run puts the censor in a real network).");
    }

    private static MetricsServer metricsServer(Settings settings, AgentMetrics metrics) {
        try {
            return new MetricsServer(settings.get(Keys.METRICS_LISTEN), metrics);
        } catch (java.io.IOException e) {
            throw new InputException("--metrics-listen " + Keys.METRICS_LISTEN.format(settings.get(Keys.METRICS_LISTEN)) + ": " + e.getMessage()
                    + " (another blockwatch running? try --metrics-listen 127.0.0.1:0)", e);
        }
    }

    private static MeasurementStore openStore(Path store) {
        try {
            return MeasurementStore.open(store);
        } catch (StoreException e) {
            throw new InputException(e.getMessage(), e);
        }
    }
}
