package org.blockwatch.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.blockwatch.agent.settings.Key;
import org.blockwatch.agent.settings.Keys;
import org.blockwatch.agent.store.MeasurementStore;
import org.blockwatch.agent.store.StoreException;
import org.blockwatch.core.archival.MeasurementJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code blockwatch show ID}: one stored measurement, in plain words or as its OONI document. */
@Command(name = "show", mixinStandardHelpOptions = true, resourceBundle = "org.blockwatch.agent.cli.help",
        header = "Show one stored measurement: its steps, verdict and explanation.",
        description = "Show one stored measurement, by its id as 'blockwatch list' prints it (or the start of it): what was "
                + "measured, when (local time), from which network, each step (DNS lookups, TCP connections, TLS handshakes, "
                + "HTTP requests) with its outcome, and the verdict with its explanation; with --json, its OONI document as stored.")
final class ShowCommand implements Callable<Integer>, TakesSettings {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The measurement's id (its measurement_uid), or its start.")
    String id;

    @Option(names = "--json", description = "Print the measurement's OONI document (JSON) as stored.")
    boolean json;

    @Override
    public List<Key<?>> settingKeys() {
        return List.of(Keys.CONFIG, Keys.STORE);
    }

    @Override
    public Integer call() throws Exception {
        MeasurementStore.Found m;
        try (MeasurementStore store = StoredReader.open(settings(spec).storePath())) {
            m = store.find(id).orElseThrow(() -> new InputException(Texts.ofEnvironment().t("show.notFound", id, store.path())));
        } catch (StoreException e) {
            throw new InputException(e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(m.json());
        } else {
            print(out, m, Texts.ofEnvironment());
        }
        out.flush();
        return ExitCode.OK;
    }

    private static void print(PrintWriter out, MeasurementStore.Found m, Texts texts) {
        JsonNode doc;
        try {
            doc = MeasurementJson.mapper().readTree(m.json());
        } catch (Exception e) {
            doc = MeasurementJson.mapper().createObjectNode();
        }
        JsonNode keys = doc.path("test_keys");
        JsonNode verdict = keys.path("x_verdict");
        out.println(texts.t("show.measurement", m.uid()));
        // The labels padded alike, whatever their language's lengths.
        java.util.function.Function<String, String> label = key -> {
            int width = java.util.stream.Stream.of("show.kind", "show.input", "show.time", "show.network", "show.verdict", "show.why", "show.flags")
                    .mapToInt(k -> texts.t(k).length()).max().orElse(0);
            return "  " + String.format("%-" + width + "s", texts.t(key)) + "  ";
        };
        out.println(label.apply("show.kind") + m.testName() + (doc.hasNonNull("test_version") ? " " + doc.get("test_version").asText() : ""));
        out.println(label.apply("show.input") + m.target() + (m.category() == null || m.category().isEmpty() ? "" : " (" + m.category() + ")"));
        out.println(label.apply("show.time") + StoredReader.local(m.measuredAt()));
        out.println(label.apply("show.network") + m.asn() + (m.network() == null || m.network().isEmpty() ? "" : " (" + m.network() + ")") + ", " + m.cc());
        out.println(label.apply("show.verdict") + texts.label("state", m.status().label()) + (m.method() == null ? "" : " (" + m.method().label() + ")"));
        String why = verdict.path("explanation").asText("");
        if (!why.isEmpty()) out.println(label.apply("show.why") + why);
        if (!m.flags().isEmpty()) out.println(label.apply("show.flags") + String.join(" ", m.flags()));
        out.println("  " + texts.t("show.steps"));
        int steps = 0;
        for (JsonNode q : keys.path("queries")) {
            List<String> answers = new java.util.ArrayList<>();
            for (JsonNode a : q.path("answers")) {
                for (String f : new String[] {"ipv4", "ipv6", "hostname"}) if (a.hasNonNull(f)) answers.add(a.get(f).asText());
            }
            String resolver = q.path("resolver_address").asText(q.path("engine").asText(""));
            out.println("    DNS   " + q.path("hostname").asText() + " " + q.path("query_type").asText("")
                    + (resolver.isEmpty() ? "" : " via " + resolver) + ": " + outcome(q, answers.isEmpty() ? "no answer" : String.join(", ", answers)));
            steps++;
        }
        for (JsonNode t : keys.path("tcp_connect")) {
            out.println("    TCP   " + t.path("ip").asText() + ":" + t.path("port").asText() + ": " + outcome(t.path("status"), "connected"));
            steps++;
        }
        for (JsonNode t : keys.path("tls_handshakes")) {
            out.println("    TLS   " + t.path("address").asText() + (t.hasNonNull("server_name") ? " (" + t.get("server_name").asText() + ")" : "")
                    + ": " + outcome(t, "handshake done" + (t.hasNonNull("tls_version") ? ", " + t.get("tls_version").asText() : "")));
            steps++;
        }
        for (JsonNode h : keys.path("requests")) {
            JsonNode request = h.path("request");
            JsonNode response = h.path("response");
            out.println("    HTTP  " + request.path("method").asText("GET") + " " + request.path("url").asText() + ": "
                    + outcome(h, response.hasNonNull("code") ? "HTTP " + response.get("code").asText() : "answered"));
            steps++;
        }
        if (steps == 0) out.println("    " + texts.t("show.noSteps", m.uid()));
    }

    /** A step's outcome: its OONI failure string when it failed, else what it got. */
    private static String outcome(JsonNode step, String success) {
        JsonNode failure = step.path("failure");
        if (failure.isTextual()) return "failed: " + failure.asText();
        if (step.path("success").isBoolean() && !step.path("success").asBoolean()) return "failed";
        return success;
    }
}
