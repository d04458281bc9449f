package org.blockwatch.agent.cli;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.blockwatch.agent.demo.DemoNetwork;
import org.blockwatch.agent.metrics.AgentMetrics;
import org.blockwatch.agent.metrics.MetricsServer;
import org.blockwatch.agent.run.Logging;
import org.blockwatch.agent.run.Signals;
import org.blockwatch.agent.store.MeasurementStore;
import org.blockwatch.agent.store.StoreException;
import org.blockwatch.agent.store.StoredMeasurement;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.control.ControlClient;
import org.blockwatch.core.engine.BoundedParallel;
import org.blockwatch.core.engine.TargetUrl;
import org.blockwatch.core.engine.WebEngine;
import org.blockwatch.core.ip.AddressRange;
import org.blockwatch.core.ip.Bogons;
import org.blockwatch.core.measurement.Measurement;
import org.blockwatch.core.measurement.WebConnectivity;
import org.blockwatch.core.tls.TrustRoots;
import org.blockwatch.core.verdict.Analyzer;
import org.blockwatch.core.verdict.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code blockwatch demo}: a censored network inside the process, measured for real. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start a simulated censored network inside this process (a lying resolver, a censor on the path,",
                "web servers, a control server, all on loopback), measure every site with the real engine and analysis,",
                "print what the censor did beside what the probe concluded, and serve the metrics. Needs no network and no root."})
final class DemoCommand implements Callable<Integer> {
    /** Held so it is not collected: MockWebServer's own logging is noise in a demo. */
    private static final java.util.logging.Logger SERVER_LOG = java.util.logging.Logger.getLogger("mockwebserver3");

    @Spec
    CommandSpec spec;

    @Option(names = "--serve", description = "Keep serving the metrics (for a Grafana try-out) until stopped with Ctrl-C or SIGTERM.")
    boolean serve;

    @Option(names = "--metrics-listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9466",
            description = "Where to serve /metrics. Default: ${DEFAULT-VALUE}.")
    String metricsListen;

    @Option(names = "--store", paramLabel = "FILE", description = "The demo's store. Default: a new temporary directory.")
    Path storePath;

    @Override
    public Integer call() throws Exception {
        Logging.configure("text", "warn");
        SERVER_LOG.setLevel(java.util.logging.Level.OFF);
        PrintWriter out = spec.commandLine().getOut();
        InetSocketAddress listen = ControlServerCommand.listenAddress(metricsListen);
        Path store = storePath != null ? storePath : Files.createTempDirectory("blockwatch-demo").resolve("demo.db");
        ProbeInfo probe = new ProbeInfo("AS0", "ZZ", "blockwatch demo", "blockwatch", Version.current());
        out.println("Starting a censored network on loopback and measuring it...");
        out.flush();
        try (DemoNetwork net = DemoNetwork.start();
                AgentMetrics metrics = new AgentMetrics(Version.current(), probe.asn(), probe.cc(), probe.networkName());
                MetricsServer server = metricsServer(listen, metrics);
                MeasurementStore measurements = openStore(store);
                WebEngine engine = new WebEngine(net.probeEngine())) {
            ControlClient control = new ControlClient(List.of(net.controlUrl()), Duration.ofSeconds(15), Duration.ofSeconds(30),
                    TrustRoots.jdkPlus(List.of(net.ca().certificate())), null);
            Analyzer analyzer = Analyzer.standard(new Bogons(List.of(AddressRange.parse(DemoNetwork.PUBLIC_RANGE))));
            WebConnectivity test = new WebConnectivity(engine, control, analyzer);
            Map<String, Measurement> results = new ConcurrentHashMap<>();
            Instant started = Instant.now();
            BoundedParallel.forEach(net.cases(), 8, c -> test.measure(TargetUrl.parse(c.url())), m -> results.put(m.observation().input(), m));

            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"SITE", "WHAT THE CENSOR DOES", "VERDICT", "METHOD", "FLAGS", "AS EXPECTED"});
            int matching = 0;
            for (DemoNetwork.Case c : net.cases()) {
                Measurement m = results.get(c.url());
                Verdict v = m.verdict();
                Instant now = Instant.now();
                metrics.measured(c.url(), "DEMO", m, now);
                metrics.publish(c.url(), "DEMO", v.status().label(), v.method(), now);
                long id = measurements.insert(new StoredMeasurement(now, c.url(), "DEMO", probe.asn(), probe.cc(), probe.networkName(),
                        v.status().label(), v.method(), String.join(" ", v.flags()), m.toJsonLine(probe)));
                measurements.recordStateChange(now, c.url(), "DEMO", v.status().label(), v.method(), id, probe.asn(), probe.cc(), probe.networkName());
                boolean ok = c.status().equals(v.status().label()) && java.util.Objects.equals(c.method(), v.method())
                        && (c.flag() == null || v.flags().contains(c.flag()));
                if (ok) matching++;
                rows.add(new String[] {c.url(), c.censor(), v.status().label(), v.method() == null ? "-" : v.method(),
                        v.flags().isEmpty() ? "-" : String.join(" ", v.flags()),
                        ok ? "yes" : "NO (expected " + c.status() + (c.method() == null ? "" : " " + c.method()) + ")"});
            }
            metrics.sweepCompleted(Duration.between(started, Instant.now()), Instant.now());
            printTable(out, rows);
            out.println();
            out.println(matching + " of " + net.cases().size() + " verdicts match what the censor did.");
            out.println("Measurements (OONI format, with the verdicts) stored in " + store + ".");
            out.println("Metrics: http://" + server.address().getHostString() + ":" + server.address().getPort() + "/metrics"
                    + (serve ? " (serving until Ctrl-C)" : " (while the demo runs; --serve keeps them up)"));
            out.flush();
            if (serve) {
                CountDownLatch stop = new CountDownLatch(1);
                Signals.onStop(stop::countDown);
                stop.await();
            }
            return matching == net.cases().size() ? ExitCode.OK : ExitCode.FAILURE;
        }
    }

    private static MetricsServer metricsServer(InetSocketAddress listen, AgentMetrics metrics) {
        try {
            return new MetricsServer(listen, metrics);
        } catch (java.io.IOException e) {
            throw new InputException("--metrics-listen " + listen.getHostString() + ":" + listen.getPort() + ": " + e.getMessage()
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

    private static void printTable(PrintWriter out, List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) widths[i] = Math.max(widths[i], row[i].length());
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            out.println(line.toString().stripTrailing());
        }
    }
}
