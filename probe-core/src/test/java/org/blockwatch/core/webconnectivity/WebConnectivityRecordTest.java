package org.blockwatch.core.webconnectivity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.blockwatch.core.archival.MeasurementJson;
import org.blockwatch.core.archival.MeasurementUid;
import org.blockwatch.core.archival.ProbeAddressScrubber;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.archival.Report;
import org.blockwatch.core.nettest.Measurement;
import org.blockwatch.core.nettest.OoniDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 32: a Web Connectivity record carries every key of OONI's own 0.4 records, with OONI's
 * meaning, beside a real one: {@code 20250527233111.802678_ID_webconnectivity_5a37ec909dbf14e3.json},
 * a measurement by ooniprobe-android 5.0.6 (web_connectivity 0.4.3) as published by OONI, checked in
 * from ooni/backend's fastpath/fastpath/tests/data (commit 32d8349dc5440e75264c84c0ffe97495c7488e84).
 * And {@code x_status} follows probe-cli's summary for what was measured: an accessible page, a
 * blockpage, a name the resolver denies, a control that cannot be reached.
 */
class WebConnectivityRecordTest {
    static final String OONI_RECORD = "20250527233111.802678_ID_webconnectivity_5a37ec909dbf14e3.json";
    private static final String PAGE = "<html><head><title>Independent news of the steppe</title></head><body>"
            + "news ".repeat(400) + "</body></html>";
    private static final String BLOCKPAGE = "<html><head><title>Access restricted by the authorities</title></head></html>";
    private static LoopbackWebWorld world;
    private static Schema schema;

    @BeforeAll
    static void start() throws Exception {
        world = new LoopbackWebWorld(Map.of(
                "/", new LoopbackWebWorld.Page("text/html; charset=utf-8", PAGE.getBytes(StandardCharsets.UTF_8)),
                "/blocked", new LoopbackWebWorld.Page("text/html; charset=utf-8", BLOCKPAGE.getBytes(StandardCharsets.UTF_8))),
                Map.of("site.test", "127.0.0.1"),
                // The helper always sees the real page.
                url -> world.pageAtTheSite(PAGE.length(), "Independent news of the steppe", Map.of("X-Site", "1")));
        try (InputStream in = Files.newInputStream(Path.of("../docs/ooni-measurement.schema.json"))) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        world.close();
    }

    static ObjectNode document(WebMeasurement m) {
        Measurement measurement = new Measurement(WebConnectivity.TEST_NAME, WebConnectivity.TEST_VERSION, m);
        return OoniDocument.tree(measurement, new ProbeInfo("AS9198", "KZ", "KazakhTelecom", "blockwatch", "test"),
                new OoniDocument.Place(Report.open(m.startTime(), "web_connectivity", "KZ", "AS9198"), MeasurementUid.next(m.startTime(), "KZ", WebConnectivity.TEST_NAME),
                        "COMT"), ProbeAddressScrubber.NONE);
    }

    static JsonNode ooniRecord(String name) throws Exception {
        try (InputStream in = WebConnectivityRecordTest.class.getResourceAsStream(name)) {
            return MeasurementJson.mapper().readTree(in);
        }
    }

    @Test
    void aRecordCarriesEveryKeyOfOonisOwnWebConnectivity04RecordWithItsType() throws Exception {
        ObjectNode doc = document(world.measure("site.test", "/", null));
        JsonNode theirs = ooniRecord(OONI_RECORD);
        assertThat(theirs.get("test_version").asText()).startsWith("0.4.");
        assertThat(doc.get("test_name").asText()).isEqualTo(theirs.get("test_name").asText());
        assertThat(doc.get("test_version").asText()).isEqualTo(theirs.get("test_version").asText());

        JsonNode ourKeys = doc.get("test_keys");
        JsonNode theirKeys = theirs.get("test_keys");
        Set<String> ours = new HashSet<>();
        ourKeys.fieldNames().forEachRemaining(ours::add);
        for (Iterator<String> it = theirKeys.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            assertThat(ours).as("OONI's key %s", key).contains(key);
            JsonNodeType type = theirKeys.get(key).getNodeType();
            // A null of theirs (an empty Go slice, a failure that did not happen) says nothing of the type.
            if (type != JsonNodeType.NULL) assertThat(ourKeys.get(key).getNodeType()).as("the type of %s", key).isIn(type, JsonNodeType.NULL);
        }
        for (String key : ours) {
            assertThat(key.startsWith("x_") || theirKeys.has(key)).as("a key of ours that OONI's record lacks and that has no x_: %s", key).isTrue();
        }
        assertThat(ourKeys.get("agent").asText()).isEqualTo("redirect");
        assertThat(ourKeys.get("retries").isNull()).isTrue();
        assertThat(ourKeys.get("socksproxy").isNull()).isTrue();
        for (String runtime : new String[] {"x_dns_runtime", "x_tcptls_runtime", "x_http_runtime", "x_th_runtime"}) {
            assertThat(ourKeys.get(runtime).isIntegralNumber()).as(runtime).isTrue();
            assertThat(ourKeys.get(runtime).asLong()).as("%s in nanoseconds: the step was measured", runtime).isPositive();
        }
        Set<String> topLevel = new HashSet<>();
        doc.fieldNames().forEachRemaining(topLevel::add);
        theirs.fieldNames().forEachRemaining(k -> assertThat(topLevel).as("OONI's top-level key %s", k).contains(k));
        assertThat(schema.validate(doc)).as("schema errors").isEmpty();
    }

    @Test
    void theSamePageAsTheControlsIsACleartextSuccess() {
        ObjectNode doc = document(world.measure("site.test", "/", null));
        assertThat(doc.get("test_keys").get("accessible").asBoolean()).isTrue();
        assertThat(doc.get("test_keys").get("x_status").asLong()).isEqualTo(2); // StatusSuccessCleartext
    }

    @Test
    void aBlockpageIsAnHttpDiff() {
        ObjectNode doc = document(world.measure("site.test", "/blocked", null));
        JsonNode keys = doc.get("test_keys");
        assertThat(keys.get("status_code_match").asBoolean()).isTrue();
        assertThat(keys.get("body_length_match").asBoolean()).isFalse();
        assertThat(keys.get("title_match").asBoolean()).isFalse();
        assertThat(keys.get("dns_consistency").asText()).isEqualTo("consistent");
        assertThat(keys.get("x_status").asLong()).isEqualTo(64); // StatusAnomalyHTTPDiff
        assertThat(schema.validate(doc)).as("schema errors").isEmpty();
    }

    @Test
    void aNameTheResolverDeniesButTheControlResolvesIsADnsAnomaly() {
        ObjectNode doc = document(world.measure("denied.test", "/", null));
        JsonNode keys = doc.get("test_keys");
        assertThat(keys.get("dns_experiment_failure").asText()).isEqualTo("dns_nxdomain_error");
        assertThat(keys.get("dns_consistency").asText()).isEqualTo("inconsistent");
        assertThat(keys.get("blocking").asText()).isEqualTo("dns");
        assertThat(keys.get("x_status").asLong()).isEqualTo(2080); // StatusExperimentDNS | StatusAnomalyDNS
        assertThat(schema.validate(doc)).as("schema errors").isEmpty();
    }

    @Test
    void aControlThatCannotBeReachedIsSaidSo() throws Exception {
        String closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closed = "http://127.0.0.1:" + s.getLocalPort() + "/";
        }
        ObjectNode doc = document(world.measure("site.test", "/", closed));
        JsonNode keys = doc.get("test_keys");
        assertThat(keys.get("control_failure").isTextual()).isTrue();
        assertThat(keys.get("x_status").asLong()).isEqualTo(8); // StatusAnomalyControlUnreachable
        assertThat(keys.get("x_th_runtime").asLong()).isPositive();
        assertThat(schema.validate(doc)).as("schema errors").isEmpty();
    }
}
