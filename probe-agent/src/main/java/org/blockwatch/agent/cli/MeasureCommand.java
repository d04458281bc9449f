package org.blockwatch.agent.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.control.ControlClient;
import org.blockwatch.core.engine.EngineConfig;
import org.blockwatch.core.engine.TargetUrl;
import org.blockwatch.core.engine.WebEngine;
import org.blockwatch.core.measurement.Measurement;
import org.blockwatch.core.measurement.WebConnectivity;
import org.blockwatch.core.verdict.Analyzer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code blockwatch measure URL...}: measures each URL once and prints what each step saw. */
@Command(name = "measure", mixinStandardHelpOptions = true,
        description = {"Measure each URL once over DNS, TCP, TLS and HTTP, compare with a control measurement,",
                "and print a table of verdicts, or with --json one measurement per line in OONI's format (logs go to stderr)."})
final class MeasureCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "URL", arity = "1..*", description = "http:// or https:// URLs; IDN hosts are fine.")
    List<String> urls;

    @Option(names = "--json", description = "Print one JSON measurement per line (JSONL) instead of a table.")
    boolean json;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "4", description = "URLs measured at once. Default: ${DEFAULT-VALUE}.")
    int parallel;

    @Mixin
    MeasurementOptions options;

    @Override
    public Integer call() throws Exception {
        List<TargetUrl> targets = new ArrayList<>();
        for (String url : urls) {
            try {
                targets.add(TargetUrl.parse(url));
            } catch (IllegalArgumentException e) {
                throw new InputException("URL " + e.getMessage());
            }
        }
        if (parallel < 1 || parallel > 64) throw new InputException("--parallel: must be between 1 and 64, not " + parallel);
        PrintWriter out = spec.commandLine().getOut();
        ProbeInfo probe = new ProbeInfo("AS0", "ZZ", "", "blockwatch", Version.current());
        EngineConfig config = options.engineConfig().withParallelism(parallel);
        ControlClient control = options.controlClient(config);
        Analyzer analyzer = Analyzer.standard(options.bogons());
        Map<String, Measurement> done = new HashMap<>();
        try (WebEngine engine = new WebEngine(config)) {
            new WebConnectivity(engine, control, analyzer).measureAll(targets, measurement -> {
                if (json) {
                    // Streamed as each URL completes, so nothing measured waits on the slowest.
                    out.println(measurement.toJsonLine(probe));
                    out.flush();
                } else {
                    done.put(measurement.observation().input(), measurement);
                }
            });
        }
        if (!json) {
            VerdictTable.print(out, targets.stream().map(t -> done.get(t.input())).toList());
        }
        return ExitCode.OK;
    }
}
