package org.blockwatch.agent.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The data flows one way (CONTRIBUTING.md): every package of every module's main code stands in
 * this order, lowest first, and imports only packages below it. A new package must be placed here.
 */
class PackageFlowTest {
    static final List<String> FLOW = List.of(
            // probe-core: the leaves, the steps, the analysis, the engine, the control, the whole test
            "core.failure", "core.ip", "core.step", "core.archival", "core.control.wire", "core.signature",
            // the steps: a resolver over TCP or TLS (issue 31) stands on the connect and the handshake
            "core.tcp", "core.tls", "core.dns", "core.http", "core.locate",
            "core.verdict",
            // the seam every kind of measurement shares, then the kinds
            "core.nettest",
            "core.engine", "core.control", "core.webconnectivity", "core.stun", "core.dnscheck", "core.portfiltering",
            // the apps: what they share, then each app
            "core.apps", "core.telegram", "core.whatsapp", "core.signal", "core.messenger",
            // the simulated network, the test helper, the censored world, the benchmarks
            "sim", "helper.http", "helper", "helper.ports", "collector", "scenarios", "bench",
            // probe-agent: values, then what is stored and shown, then what runs, then the command line
            "agent.units", "agent.net", "agent.targets", "agent.store", "agent.metrics", "agent.export", "agent.sink", "agent.schedule", "agent.upload", "agent.push",
            "agent.settings", "agent.run", "agent.cli");

    private static final Pattern PACKAGE = Pattern.compile("^package org\\.blockwatch\\.([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?org\\.blockwatch\\.([\\w.]+);", Pattern.MULTILINE);

    record Source(Path file, String pkg, List<String> imports) {}

    static List<Source> sources() throws IOException {
        List<Source> out = new ArrayList<>();
        try (Stream<Path> modules = Files.list(Path.of(".."))) {
            for (Path module : modules.filter(m -> m.getFileName().toString().startsWith("probe-")).toList()) {
                Path main = module.resolve("src/main/java");
                if (!Files.isDirectory(main)) continue;
                try (Stream<Path> files = Files.walk(main)) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                        String text = Files.readString(f);
                        Matcher p = PACKAGE.matcher(text);
                        if (!p.find()) continue;
                        List<String> imports = new ArrayList<>();
                        for (Matcher m = IMPORT.matcher(text); m.find(); ) imports.add(packageOf(m.group(1)));
                        out.add(new Source(f, p.group(1), imports));
                    }
                }
            }
        }
        return out;
    }

    /** The package of an imported name: the longest known package it starts with. */
    private static String packageOf(String name) {
        return FLOW.stream().filter(p -> name.equals(p) || name.startsWith(p + ".")).max((a, b) -> a.length() - b.length()).orElse(name);
    }

    @Test
    void everyPackageHasItsPlaceInTheFlow() throws IOException {
        List<Source> sources = sources();
        assertThat(sources).as("the modules' sources are read").hasSizeGreaterThan(100);
        for (Source s : sources) assertThat(FLOW).as("%s (%s) is placed in the flow", s.pkg(), s.file()).contains(s.pkg());
    }

    @Test
    void noPackageImportsOneAboveIt() throws IOException {
        List<String> upward = new ArrayList<>();
        for (Source s : sources()) {
            int rank = FLOW.indexOf(s.pkg());
            for (String imported : s.imports()) {
                if (imported.equals(s.pkg())) continue;
                if (FLOW.indexOf(imported) >= rank) upward.add(s.file().getFileName() + ": " + s.pkg() + " imports " + imported);
            }
        }
        assertThat(upward).isEmpty();
    }

    @Test
    void theAnalysisDependsOnRecordsOnly() throws IOException {
        for (Source s : sources()) {
            if (!s.pkg().equals("core.verdict")) continue;
            assertThat(s.imports()).as(s.file().toString()).noneMatch(i -> List.of("core.engine", "core.control", "core.dns", "core.tcp",
                    "core.tls", "core.http", "core.webconnectivity").contains(i));
        }
    }

    /**
     * The seam holds: what comes after a measurement (the schedule, the sink, the store, the
     * metrics, uploads, exports, remote write) knows kinds only through {@code core.nettest}, so
     * that adding a kind changes none of them.
     */
    @Test
    void whatFollowsAMeasurementKnowsNoKind() throws IOException {
        List<String> kinds = List.of("core.webconnectivity", "core.stun", "core.dnscheck", "core.portfiltering", "core.engine", "core.control", "core.dns", "core.tcp", "core.tls",
                "core.http", "core.apps", "core.telegram", "core.whatsapp", "core.signal", "core.messenger");
        List<String> seamOnly = List.of("agent.schedule", "agent.sink", "agent.store", "agent.metrics", "agent.upload", "agent.export",
                "agent.push");
        List<String> found = new ArrayList<>();
        for (Source s : sources()) {
            if (!seamOnly.contains(s.pkg())) continue;
            for (String i : s.imports()) if (kinds.contains(i)) found.add(s.file().getFileName() + " imports " + i);
        }
        assertThat(found).isEmpty();
    }
}
