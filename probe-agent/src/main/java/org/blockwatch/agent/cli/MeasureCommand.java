package org.blockwatch.agent.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.blockwatch.agent.settings.Key;
import org.blockwatch.agent.settings.Keys;
import org.blockwatch.agent.settings.ProbeFactory;
import org.blockwatch.agent.settings.Settings;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.engine.TargetUrl;
import org.blockwatch.core.engine.WebEngine;
import org.blockwatch.core.measurement.Measurement;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code blockwatch measure URL...}: measures each URL once and prints what each step saw. */
@Command(name = "measure", mixinStandardHelpOptions = true,
        header = "Measure URLs once and print their verdicts.",
        description = "Measure each URL once over DNS, TCP, TLS and HTTP, compare with a control measurement, and print a "
                + "table of verdicts, or with --json one measurement per line in OONI's format (logs go to stderr).")
final class MeasureCommand implements Callable<Integer>, TakesSettings {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "URL", arity = "1..*", description = "http:// or https:// URLs; IDN hosts are fine.")
    List<String> urls;

    @Override
    public List<Key<?>> settingKeys() {
        return Stream.concat(Stream.of(Keys.JSON, Keys.PARALLEL), Keys.MEASUREMENT.stream()).toList();
    }

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
        Settings settings = settings(spec);
        boolean json = settings.get(Keys.JSON);
        PrintWriter out = spec.commandLine().getOut();
        ProbeInfo probe = ProbeFactory.probeInfo(settings, Version.current());
        ProbeFactory.Parts parts = ProbeFactory.probe(settings);
        // Each URL's row (or JSON line) as soon as it completes, so nothing measured waits on the slowest;
        // on a terminal, a progress line below them.
        Progress progress = Progress.onTerminal(spec.commandLine().getErr(), targets.size());
        int[] widths = VerdictTable.widths(targets.stream().map(TargetUrl::input).toList());
        if (!json) {
            out.println(VerdictTable.header(widths));
            out.flush();
        }
        progress.show(0);
        int[] done = {0};
        java.util.Set<String> measured = java.util.concurrent.ConcurrentHashMap.newKeySet();
        String error = null;
        try (WebEngine engine = parts.newEngine()) {
            parts.test(engine).measureAll(targets, measurement -> {
                synchronized (done) {
                    progress.clear();
                    out.println(json ? measurement.toJsonLine(probe) : TextTable.line(VerdictTable.row(measurement), widths));
                    out.flush();
                    measured.add(measurement.observation().input());
                    progress.show(++done[0]);
                }
            });
        } catch (RuntimeException | Error e) {
            // Every URL was still tried (the others' rows are out); this one is named below.
            error = e.toString();
        }
        progress.clear();
        // Never silence: a URL without its row makes the command fail, and says so.
        List<String> missing = targets.stream().map(TargetUrl::input).filter(u -> !measured.contains(u)).toList();
        if (!missing.isEmpty()) {
            spec.commandLine().getErr().println("blockwatch: no measurement of " + String.join(", ", missing)
                    + (error == null ? "" : " (" + error + ")"));
            spec.commandLine().getErr().flush();
            return ExitCode.FAILURE;
        }
        return ExitCode.OK;
    }
}
