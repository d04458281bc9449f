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
import org.blockwatch.agent.settings.Apps;
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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.blockwatch.agent.settings.Dns;
import org.blockwatch.agent.store.NetworkState;
import org.blockwatch.core.archival.ResolverInterception;
import org.blockwatch.core.dns.ResolverAddress;
import org.blockwatch.core.dnscheck.DnsCheck;
import org.blockwatch.core.engine.EngineConfig;
import org.blockwatch.core.portfiltering.ChannelOutcome;
import org.blockwatch.core.portfiltering.PortFiltering;
import org.blockwatch.core.portfiltering.PortFilteringResult;
import org.blockwatch.helper.ports.PortListener;
import org.blockwatch.sim.CensoredPath;
import org.blockwatch.sim.DnsBehaviour;
import org.blockwatch.sim.Fault;
import org.blockwatch.sim.FaultServer;
import org.blockwatch.sim.SimDnsServer;
import org.blockwatch.scenarios.AppScenario;
import org.blockwatch.scenarios.CensoredWorld;
import org.blockwatch.scenarios.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code blockwatch demo}: the scenario table's censored world inside the process, measured for real. */
@Command(name = "demo", mixinStandardHelpOptions = true, resourceBundle = "org.blockwatch.agent.cli.help",
        header = "Measure a simulated censored network inside this process (no network, no root needed).",
        description = "Start a simulated censored network inside this process (a lying resolver, a censor on the path, web "
                + "servers, STUN servers and the apps' servers, resolvers, a port-filtering helper, a control server, all on loopback), "
                + "measure every site, STUN server, app (telegram, whatsapp, signal, facebook_messenger), resolver (dnscheck) and the "
                + "helper's ports (portfiltering) with the real engine and analysis, "
                + "print what the censor did beside what the probe concluded, and serve the metrics. Needs no network "
                + "and no root.")
final class DemoCommand implements Callable<Integer>, TakesSettings {
    private static final String CATEGORY = "DEMO";
    /** Issue 31: a resolver abroad (honest), and the port-filtering helper, each on a loopback address of its own. */
    private static final String RESOLVER_ABROAD = "127.101.0.53";
    private static final String PORT_HELPER = "127.101.0.80";
    /** Who the resolver the probe believes it asks is: a resolver abroad's name; the ISP's answers it with nothing of the kind. */
    private static final String ABROAD_IDENTITY = "^res[0-9]+\\.abroad\\.demo$";

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
                MeasurementStore measurements = openStore(store);
                SimDnsServer abroad = new SimDnsServer(new InetSocketAddress(InetAddress.getByName(RESOLVER_ABROAD), 0))
                        .otherwise(DnsBehaviour.answer("127.100.0.1"));
                PortListener helper = PortListener.start(InetAddress.getByName(PORT_HELPER), List.of(0, 0), List.of(0), PortListener.Limits.defaults());
                FaultServer reset = new FaultServer(Fault.RESET_ON_FIRST_DATA)) {
            TrustRoots trust = TrustRoots.jdkPlus(List.of(world.root()));
            Duration step = world.probeEngine().stepTimeout();
            ControlClient control = new ControlClient(List.of(world.controlUrl()), Timeouts.controlPerHelper(step), Timeouts.controlTotal(step), trust,
                    null);
            // The apps' endpoints are the world's: the demo never contacts the real apps.
            Apps apps = new Apps(world.telegram(), world.whatsapp(), world.signal(), world.messenger());
            // The ISP's resolver is checked as if it were a resolver abroad (its identity set to one's): it answers in that
            // resolver's name, and every page measured through it says so (x_dns_intercepted). Nothing here leaves loopback.
            String ispHost = ResolverAddress.parse(world.ispResolver()).socketAddress().getAddress().getHostAddress();
            Map<String, java.util.regex.Pattern> identities = Map.of(ispHost, java.util.regex.Pattern.compile(ABROAD_IDENTITY));
            Dns dns = new Dns(List.of(), identities, new DnsCheck.Settings(List.of(DnsCheck.DEFAULT_DOMAIN), identities));
            EngineConfig engine = world.probeEngine().withInterception(dns.interception(ResolverAddress.parse(world.ispResolver()), step));
            ProbeFactory.Parts parts = new ProbeFactory.Parts(engine, trust, control, Analyzer.standard(world.bogons()), apps, dns,
                    new PortFiltering.Ports(helper.tcpPorts(), helper.udpPorts(), helper.udpPorts()));
            Demo31 demo31 = new Demo31("udp://" + abroad.address(), "udp://" + world.ispResolver(), helper, reset);
            return measure(world, parts, metrics, server, new MeasurementSink(measurements, metrics, probe), store, serve, demo31);
        }
    }

    /** Issue 31's part of the world: a resolver abroad and the ISP's (dnscheck), the port-filtering helper and the censor's reset for one of its ports. */
    private record Demo31(String abroad, String isp, PortListener helper, FaultServer reset) {
        int cutPort() {
            return helper.tcpPorts().getLast();
        }
    }

    private int measure(CensoredWorld world, ProbeFactory.Parts parts, AgentMetrics metrics, MetricsServer server, MeasurementSink sink, Path store,
            boolean serve, Demo31 demo31) throws InterruptedException, StoreException {
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
            // The apps, measured without input: the kind's name stands for the input (which the kinds accept), so that
            // each app is a target of its own in the sweep's states, the store and the metrics.
            for (AppScenario app : world.apps()) {
                targets.add(new Target(app.testName(), app.testName(), CATEGORY, "The demo's censored world", "demo", false));
            }
            // The resolvers (dnscheck), each a target: one abroad, the ISP's answering in a foreign resolver's name.
            for (String resolver : List.of(demo31.abroad(), demo31.isp())) {
                targets.add(new Target(DnsCheck.TEST_NAME, resolver, CATEGORY, "The demo's censored world", "demo", false));
            }
            sweeper.sweep(targets, new AtomicBoolean());
            metrics.resolvers(org.blockwatch.agent.run.Agent.known(engine.interception().states()));
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
            // The apps (OONI's "im" suite), in the same sweep.
            List<String[]> appRows = new ArrayList<>();
            appRows.add(new String[] {"APP", "WHAT THE CENSOR DOES", "VERDICT", "METHOD", "FLAGS", "AS EXPECTED"});
            int appMatching = 0;
            for (AppScenario app : world.apps()) {
                Verdict v = first.get(app.testName()).verdict();
                boolean ok = app.withControl().matches(v);
                if (ok) appMatching++;
                appRows.add(new String[] {app.testName(), app.censor(), v.status().label(), v.method() == null ? "-" : v.method().label(),
                        v.flags().isEmpty() ? "-" : String.join(" ", v.flags()), ok ? "yes" : "NO (expected " + app.withControl() + ")"});
            }
            out.println();
            TextTable.print(out, appRows);
            out.println();
            out.println(appMatching + " of " + world.apps().size() + " app verdicts match what the censor did (telegram, whatsapp, signal, "
                    + "facebook_messenger: the apps' servers are the demo's own).");
            matching += appMatching;
            matching += resolvers(out, first, engine, demo31);
            matching += ports(out, world, parts, sink, demo31);
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
            return matching == world.scenarios().size() + world.stunServers().size() + world.apps().size() + 2 + demo31.helper().tcpPorts().size()
                    + 2 * demo31.helper().udpPorts().size() ? ExitCode.OK : ExitCode.FAILURE;
        }
    }

    /** The resolvers' table (dnscheck) and the interception the web measurements found; how many verdicts match. */
    private int resolvers(PrintWriter out, Map<String, Measurement> first, WebEngine engine, Demo31 demo31) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"RESOLVER", "WHAT IT IS", "VERDICT", "METHOD", "FLAGS", "AS EXPECTED"});
        int matching = 0;
        for (String resolver : List.of(demo31.abroad(), demo31.isp())) {
            boolean isp = resolver.equals(demo31.isp());
            Verdict v = first.get(resolver).verdict();
            boolean ok = isp ? v.status() == Verdict.Status.BLOCKED && v.method() == Verdict.Method.DNS && v.flags().contains("dns_intercepted")
                    : v.status() == Verdict.Status.ACCESSIBLE;
            if (ok) matching++;
            rows.add(new String[] {resolver, isp ? "the ISP's, configured as a resolver abroad (res1.abroad.demo): it answers in its name"
                    : "a resolver abroad, open", v.status().label(), v.method() == null ? "-" : v.method().label(),
                    v.flags().isEmpty() ? "-" : String.join(" ", v.flags()), ok ? "yes" : "NO (expected " + (isp ? "blocked dns [dns_intercepted]" : "accessible") + ")"});
        }
        out.println();
        TextTable.print(out, rows);
        out.println();
        out.println(matching + " of 2 resolver verdicts match (dnscheck: is it reachable, and is it the one answering).");
        for (ResolverInterception r : engine.interception().states()) {
            if (r.status() == ResolverInterception.Status.INTERCEPTED) {
                out.println("DNS: " + org.blockwatch.agent.run.InterceptionText.line(r) + ": every page measured through it is flagged dns_intercepted.");
            }
        }
        return matching;
    }

    /**
     * Port filtering: the helper checked once, through a censor that resets one of its TCP ports,
     * stored and counted as the agent does; the channels' table. How many channels are as expected.
     */
    private int ports(PrintWriter out, CensoredWorld world, ProbeFactory.Parts parts, MeasurementSink sink, Demo31 demo31) {
        CensoredPath path = new CensoredPath().detour(PORT_HELPER, demo31.cutPort(), demo31.reset().port());
        String input = "portfilter://" + PORT_HELPER;
        Measurement m;
        try (WebEngine engine = new WebEngine(world.probeEngine().withSockets(path), parts.trust())) {
            m = Nettests.measure(new PortFiltering(engine.steps(), parts.ports(), null), input);
        }
        java.time.Instant at = m.result().startTime().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        sink.measured(input, org.blockwatch.agent.run.Agent.PORT_FILTERING_CATEGORY, m, at);
        Map<String, Boolean> channels = new java.util.LinkedHashMap<>();
        if (m.result() instanceof PortFilteringResult r) {
            for (ChannelOutcome o : r.channels()) if (o.status() != ChannelOutcome.Status.NOT_SERVED) channels.put(o.channel().label(), o.open());
        }
        sink.channelsChecked(NetworkState.ONLINE, channels, at);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"CHANNEL", "WHAT THE CENSOR DOES", "RESULT", "AS EXPECTED"});
        int matching = 0;
        for (Map.Entry<String, Boolean> c : channels.entrySet()) {
            boolean cut = c.getKey().equals("tcp/" + demo31.cutPort());
            boolean ok = c.getValue() != cut;
            if (ok) matching++;
            rows.add(new String[] {c.getKey(), cut ? "resets the connection" : "nothing", c.getValue() ? "open" : "closed",
                    ok ? "yes" : "NO (expected " + (cut ? "closed" : "open") + ")"});
        }
        out.println();
        TextTable.print(out, rows);
        out.println();
        out.println(matching + " of " + channels.size() + " channels to the port-filtering helper (" + input + ") as expected (portfiltering: "
                + "what still works in a shutdown).");
        return matching;
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
        out.println("  blockwatch measure --resolver " + world.ispResolver() + " --no-extra-resolvers --control " + world.controlUrl() + " --trust-ca " + root
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
