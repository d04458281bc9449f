package org.blockwatch.agent.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.blockwatch.agent.cli.Main;
import org.blockwatch.collector.CollectorServer;
import org.blockwatch.collector.CollectorStore;
import org.blockwatch.sim.PostgresServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A measurement written by OONI's own code (probe-collector's fixture ooni/web_connectivity-ooniprobe.json,
 * from ooni/probe-cli's testdata) submitted to the collector as OONI Probe submits it, then exported
 * back with {@code blockwatch export --from postgresql://... --format ooni-jsonl}: the same record,
 * key by key, with the {@code measurement_uid} the collector assigned.
 */
class OoniRecordRoundTripTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The fixture lives with the collector's tests; Maven runs this module's tests in its own folder. */
    private static final Path FIXTURE = Path.of("..", "probe-collector", "src", "test", "resources", "ooni", "web_connectivity-ooniprobe.json");

    @Test
    void anOoniProbesRecordSubmittedToTheCollectorIsExportedBackUnchangedButForItsUid() throws Exception {
        if (!PostgresServer.available()) {
            if ("true".equals(System.getenv("CI"))) throw new AssertionError("CI needs Debian's postgresql (.ci/run installs it)");
            Assumptions.abort("no PostgreSQL on this machine (apt-get install postgresql)");
        }
        ObjectNode record = (ObjectNode) JSON.readTree(Files.readString(FIXTURE));
        HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
        try (PostgresServer pg = PostgresServer.start(); CollectorStore store = new CollectorStore(pg.jdbcUrl(), 4);
                CollectorServer server = new CollectorServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), store,
                        new CollectorServer.Limits(4 * 1024 * 1024, 1000, Map.of()))) {
            String base = "http://127.0.0.1:" + server.address().getPort();
            // probe-cli's probeservices: OpenReport with the measurement's template, then SubmitMeasurement with report_id set.
            ObjectNode template = JSON.createObjectNode().put("data_format_version", "0.2.0").put("format", "json");
            for (String f : new String[] {"probe_asn", "probe_cc", "software_name", "software_version", "test_name", "test_start_time", "test_version"}) {
                template.set(f, record.get(f));
            }
            HttpResponse<String> opened = http.send(HttpRequest.newBuilder(URI.create(base + "/report")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(template.toString())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(opened.statusCode()).as(opened.body()).isEqualTo(200);
            String report = JSON.readTree(opened.body()).path("report_id").asText();
            record.put("report_id", report);
            HttpResponse<String> submitted = http.send(HttpRequest.newBuilder(URI.create(base + "/report/" + report))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"format\":\"json\",\"content\":" + record + "}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(200);
            String uid = JSON.readTree(submitted.body()).path("measurement_uid").asText();
            assertThat(uid).isNotBlank();

            StringWriter out = new StringWriter(), err = new StringWriter();
            int exit = Main.run(new PrintWriter(out), new PrintWriter(err), "export", "--from", pg.url(), "--format", "ooni-jsonl");
            assertThat(exit).as(err.toString()).isZero();
            List<JsonNode> lines = new ArrayList<>();
            for (String line : out.toString().split("\n")) if (!line.isBlank()) lines.add(JSON.readTree(line));
            assertThat(lines).hasSize(1);
            JsonNode exported = lines.getFirst();
            ObjectNode expected = record.deepCopy();
            expected.put("measurement_uid", uid);
            // Key by key, so that a difference names its key.
            List<String> keys = new ArrayList<>();
            expected.fieldNames().forEachRemaining(keys::add);
            exported.fieldNames().forEachRemaining(k -> { if (!keys.contains(k)) keys.add(k); });
            for (String k : keys) assertThat(exported.get(k)).as("key %s", k).isEqualTo(expected.get(k));
            for (String k : new String[] {"agent", "retries", "socksproxy", "queries", "tcp_connect", "requests", "blocking", "accessible"}) {
                assertThat(exported.path("test_keys").has(k)).as("test_keys.%s", k).isTrue();
            }
        }
    }
}
