package org.blockwatch.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code demo --serve} says what another program can measure, and another program measuring it gets what it says. */
class DemoServeTest {
    @TempDir
    Path tmp;

    @Test
    void theMeasureCommandTheServingDemoPrintsMeasuresItsSitesWithTheDnsCensorshipSeen() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), "org.blockwatch.agent.cli.Main",
                "demo", "--serve", "--store", tmp.resolve("demo.db").toString(), "--metrics-listen", "127.0.0.1:0");
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process demo = pb.start();
        try {
            List<String> command = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("  blockwatch measure ")) {
                        command.addAll(Arrays.asList(line.strip().replace(" \\", "").split(" ")));
                        command.addAll(Arrays.asList(r.readLine().strip().split(" ")));
                        break;
                    }
                }
            }
            assertThat(command).as("the serving demo prints a measure command").isNotEmpty();
            assertThat(Path.of(command.get(command.indexOf("--trust-ca") + 1))).exists();

            List<String> args = new ArrayList<>(command.subList(1, command.size()));
            args.add(1, "--json");
            Cli r = Cli.run(args.toArray(String[]::new));

            Map<String, JsonNode> verdicts = new HashMap<>();
            ObjectMapper json = new ObjectMapper();
            for (String line : r.out().lines().toList()) {
                JsonNode m = json.readTree(line);
                verdicts.put(m.path("input").asText().replaceAll(":\\d+/$", "/"), m.path("test_keys").path("x_verdict"));
            }
            assertThat(verdicts.get("https://news.example/").path("status").asText()).isEqualTo("accessible");
            assertThat(verdicts.get("http://nxdomain.example/").path("status").asText()).isEqualTo("blocked");
            assertThat(verdicts.get("http://nxdomain.example/").path("method").asText()).isEqualTo("dns");
            assertThat(verdicts.get("http://localhost.example/").path("status").asText()).isEqualTo("blocked");
            assertThat(verdicts.get("http://down.example/").path("status").asText()).isEqualTo("down");
            // Only what another program can see is offered: no in-process technique among them.
            assertThat(verdicts).doesNotContainKeys("https://reset.example/", "http://dropped.example/");
        } finally {
            demo.destroy();
            demo.waitFor(20, TimeUnit.SECONDS);
        }
    }
}
