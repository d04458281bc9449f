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
import org.blockwatch.core.archival.ProbeAddressScrubber;
import org.blockwatch.core.archival.Report;
import org.blockwatch.core.nettest.BoundedParallel;
import org.blockwatch.core.engine.WebEngine;
import org.blockwatch.core.nettest.Measurement;
import org.blockwatch.core.nettest.Nettest;
import org.blockwatch.core.nettest.Nettests;
import org.blockwatch.core.nettest.OoniDocument;
import org.blockwatch.core.dnscheck.DnsCheck;
import org.blockwatch.core.portfiltering.PortFiltering;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code blockwatch measure INPUT...}: measures each input once, with the kind it is written for, and prints the verdicts. */
@Command(name = "measure", mixinStandardHelpOptions = true,
        header = "Measure URLs, apps and other inputs once and print their verdicts.",
        description = "Measure each input once and print a table of verdicts, or with --json one measurement per line in OONI's "
                + "format (logs go to stderr). A URL is measured as a web page (web_connectivity: DNS, TCP, TLS and HTTP, compared with "
                + "a control measurement); stun://HOST:PORT as a STUN server (stunreachability: a binding request over UDP); an app's "
                + "name, telegram, whatsapp, signal or facebook_messenger, as that app (OONI's nettest of the same name, at the "
                + "endpoints of the configuration's tests.<app> keys, the apps' own by default): e.g. 'blockwatch measure telegram whatsapp'. "
                + "A resolver, udp://IP[:PORT], tcp://IP[:PORT] or dot://HOST[:PORT], as a resolver (dnscheck: does it answer from here, "
                + "and is it the one answering); 'dnscheck' for every resolver of the configuration's tests.dnscheck.resolvers (a DoH "
                + "resolver's https:// URL alone is measured as a page); portfilter://HOST as a port-filtering helper (portfiltering: which "
                + "ways out reach it, on the configuration's tests.portfiltering ports), 'portfiltering' for tests.portfiltering.helper.")
final class MeasureCommand implements Callable<Integer>, TakesSettings {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "INPUT", arity = "1..*", description = "http:// or https:// URLs (IDN hosts are fine), stun://HOST:PORT, "
            + "a resolver (udp://, tcp://, dot://), portfilter://HOST, or a name: telegram, whatsapp, signal, facebook_messenger, "
            + "dnscheck (the configured resolvers), portfiltering (the configured helper).")
    List<String> inputs;

    @Override
    public List<Key<?>> settingKeys() {
        // --config: the file's measurement keys, and the apps' endpoints (tests.<app>.*), which have no option.
        return Stream.concat(Stream.of(Keys.JSON, Keys.PARALLEL, Keys.CONFIG), Keys.MEASUREMENT.stream()).toList();
    }

    /** An input and the kind that measures it. */
    private record Job(Nettest kind, String input) {}

    /** A job and its measurement. */
    private record Done(Job job, Measurement measurement) {}

    /**
     * What an input stands for: a kind's name that takes input stands for the configuration's
     * inputs of that kind ({@code dnscheck}: every resolver of {@code tests.dnscheck.resolvers});
     * anything else is measured by the kind it is written for.
     */
    private static List<Job> jobs(Nettests kinds, String input, Settings settings) {
        if (input.equals(DnsCheck.TEST_NAME)) {
            List<String> resolvers = settings.get(Keys.DNSCHECK_RESOLVERS);
            if (resolvers.isEmpty()) throw new InputException(Keys.DNSCHECK_RESOLVERS.name() + " is empty: no resolver to measure with 'dnscheck'");
            Nettest dnscheck = kinds.require(DnsCheck.TEST_NAME);
            return resolvers.stream().map(r -> new Job(dnscheck, r)).toList();
        }
        if (input.equals(PortFiltering.TEST_NAME)) {
            String helper = settings.get(Keys.PORTFILTERING_HELPER);
            if (helper == null) throw new InputException(Keys.PORTFILTERING_HELPER.name() + " is not set: no helper to measure with 'portfiltering' "
                    + "(or give portfilter://HOST)");
            return List.of(new Job(kinds.require(PortFiltering.TEST_NAME), helper));
        }
        try {
            return List.of(new Job(kinds.kindFor(input), input));
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        Settings settings = settings(spec);
        boolean json = settings.get(Keys.JSON);
        PrintWriter out = spec.commandLine().getOut();
        ProbeInfo probe = ProbeFactory.probeInfo(settings, Version.current());
        ProbeFactory.Parts parts = ProbeFactory.probe(settings);
        String error = null;
        java.util.Set<String> measured = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<Job> jobs = new ArrayList<>();
        try (WebEngine engine = parts.newEngine()) {
            Nettests kinds = parts.nettests(engine, engine.config().listener());
            for (String input : inputs) jobs.addAll(jobs(kinds, input, settings));
            // Each input's row (or JSON line) as soon as it completes, so nothing measured waits on the slowest;
            // on a terminal, a progress line below them.
            Progress progress = Progress.onTerminal(spec.commandLine().getErr(), jobs.size());
            int[] widths = VerdictTable.widths(jobs.stream().map(Job::input).toList());
            // An app is named, not a URL: then the first column is headed INPUT.
            boolean apps = jobs.stream().anyMatch(j -> j.kind().input() == Nettest.InputShape.NONE);
            if (!json) {
                out.println(VerdictTable.header(widths, apps));
                out.flush();
            }
            progress.show(0);
            int[] done = {0};
            try {
                BoundedParallel.forEach(jobs, settings.get(Keys.PARALLEL), j -> new Done(j, Nettests.measure(j.kind(), j.input())), d -> {
                    Measurement measurement = d.measurement();
                    synchronized (done) {
                        progress.clear();
                        out.println(json ? OoniDocument.write(measurement, probe,
                                new OoniDocument.Place(Report.none(measurement.result().startTime()), null, null), ProbeAddressScrubber.NONE)
                                : TextTable.line(VerdictTable.row(measurement), widths));
                        out.flush();
                        // The input as given: an app's measurement has none of its own ("telegram" is measured with "").
                        measured.add(d.job().input());
                        progress.show(++done[0]);
                    }
                });
            } catch (RuntimeException | Error e) {
                // Every input was still tried (the others' rows are out); this one is named below.
                error = e.toString();
            }
            progress.clear();
        }
        // Never silence: an input without its row makes the command fail, and says so.
        List<String> missing = jobs.stream().map(Job::input).filter(u -> !measured.contains(u)).toList();
        if (!missing.isEmpty()) {
            spec.commandLine().getErr().println("blockwatch: no measurement of " + String.join(", ", missing)
                    + (error == null ? "" : " (" + error + ")"));
            spec.commandLine().getErr().flush();
            return ExitCode.FAILURE;
        }
        return ExitCode.OK;
    }
}
