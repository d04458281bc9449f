package org.blockwatch.core.portfiltering;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.blockwatch.core.archival.MeasurementUid;
import org.blockwatch.core.archival.ProbeAddressScrubber;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.archival.Report;
import org.blockwatch.core.engine.EngineConfig;
import org.blockwatch.core.engine.WebEngine;
import org.blockwatch.core.nettest.Measurement;
import org.blockwatch.core.nettest.Nettests;
import org.blockwatch.core.nettest.OoniDocument;
import org.junit.jupiter.api.Test;

/**
 * A port-filtering record as the store keeps it and exports write it: OONI's test name, version
 * and {@code tcp_connect} (ts-038), blockwatch's keys under x_, and valid against the project's
 * OONI schema (docs/ooni-measurement.schema.json), both when channels answered and when nothing did.
 */
class PortFilteringRecordTest {
    static final ProbeInfo PROBE = new ProbeInfo("AS9198", "KZ", "KazakhTelecom", "blockwatch", "test");

    private static Schema schema() throws Exception {
        try (InputStream in = Files.newInputStream(Path.of("../docs/ooni-measurement.schema.json"))) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
    }

    private static ObjectNode document(Measurement m) {
        return OoniDocument.tree(m, PROBE, new OoniDocument.Place(Report.open(m.result().startTime(), m.testName(), "KZ", "AS9198"),
                MeasurementUid.next(m.result().startTime(), "KZ", m.testName()), "COMT"), ProbeAddressScrubber.NONE);
    }

    @Test
    void aMeasuredRecordCarriesOonisNameAndKeysAndValidates() throws Exception {
        try (WireResponder helper = new WireResponder(2, 1);
                WebEngine engine = new WebEngine(EngineConfig.defaults().withStepTimeout(Duration.ofSeconds(2)));
                java.net.ServerSocket closed = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            int closedPort = closed.getLocalPort();
            closed.close();
            List<Integer> tcp = new java.util.ArrayList<>(helper.tcpPorts());
            tcp.add(closedPort);
            int udp = helper.udpPorts().getFirst();
            PortFiltering kind = new PortFiltering(engine.steps(), new PortFiltering.Ports(tcp, List.of(udp), List.of(udp)), null);
            Measurement m = Nettests.measure(kind, "portfilter://127.0.0.1");
            PortFilteringResult r = (PortFilteringResult) m.result();
            List<Integer> open = helper.tcpPorts().stream().sorted().toList();
            assertThat(r.surviving()).containsExactly("tcp/" + open.get(0), "tcp/" + open.get(1), "udp/" + udp, "quic/" + udp);
            assertThat(r.channels()).filteredOn(c -> c.channel().port() == closedPort).singleElement()
                    .satisfies(c -> assertThat(c.status()).as("nothing listens there, and the helper does not list it").isEqualTo(ChannelOutcome.Status.NOT_SERVED));
            assertThat(m.verdict().status().label()).isEqualTo("accessible");
            System.out.printf("portfiltering on loopback: %d channels, %d bytes (estimated), %.3f s%n", r.channels().size(), r.bytes(),
                    r.runtimeSeconds());

            ObjectNode doc = document(m);
            assertThat(doc.get("test_name").asText()).isEqualTo("portfiltering");
            assertThat(doc.get("test_version").asText()).isEqualTo("0.1.0");
            assertThat(doc.get("input").asText()).isEqualTo("portfilter://127.0.0.1");
            JsonNode keys = doc.get("test_keys");
            assertThat(keys.get("tcp_connect")).hasSize(3).allSatisfy(c -> {
                assertThat(c.get("ip").asText()).isEqualTo("127.0.0.1");
                assertThat(c.has("port") && c.has("status") && c.has("t0") && c.has("t") && c.has("transaction_id")).isTrue();
            });
            assertThat(keys.get("x_surviving")).extracting(JsonNode::asText).containsExactlyElementsOf(r.surviving());
            assertThat(keys.get("x_udp")).extracting(u -> u.get("service").asText()).containsExactlyInAnyOrder("dns", "quic");
            assertThat(keys.get("x_helper_ports").get("tcp")).extracting(JsonNode::asInt).containsExactlyElementsOf(helper.tcpPorts());
            keys.fieldNames().forEachRemaining(k -> assertThat(k.equals("tcp_connect") || k.startsWith("x_")).as("a key of ours without x_: %s", k).isTrue());
            assertThat(schema().validate(doc)).as("schema errors").isEmpty();
        }
    }

    @Test
    void aRecordOfAHelperNothingWasTriedAtValidates() throws Exception {
        try (WebEngine engine = new WebEngine(EngineConfig.defaults().withStepTimeout(Duration.ofSeconds(1))
                .withDestinations(ip -> !ip.isLoopbackAddress()))) {
            PortFiltering kind = new PortFiltering(engine.steps(), PortFiltering.Ports.DEFAULT, null);
            Measurement m = Nettests.measure(kind, "portfilter://127.0.0.1");
            PortFilteringResult r = (PortFilteringResult) m.result();
            assertThat(r.failure()).isEqualTo("destination_refused");
            assertThat(r.tcpConnect()).isEmpty();
            assertThat(m.verdict().status().label()).isEqualTo("inconclusive");
            ObjectNode doc = document(m);
            assertThat(doc.get("test_keys").get("x_failure").asText()).isEqualTo("destination_refused");
            assertThat(schema().validate(doc)).as("schema errors").isEmpty();
        }
    }
}
