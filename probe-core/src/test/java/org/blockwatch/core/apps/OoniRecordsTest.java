package org.blockwatch.core.apps;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.blockwatch.core.archival.MeasurementJson;
import org.blockwatch.core.archival.MeasurementUid;
import org.blockwatch.core.archival.ProbeAddressScrubber;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.archival.Report;
import org.blockwatch.core.engine.Steps;
import org.blockwatch.core.ip.AddressRange;
import org.blockwatch.core.messenger.FacebookMessenger;
import org.blockwatch.core.nettest.Measurement;
import org.blockwatch.core.nettest.Nettest;
import org.blockwatch.core.nettest.Nettests;
import org.blockwatch.core.nettest.OoniDocument;
import org.blockwatch.core.signal.Signal;
import org.blockwatch.core.telegram.Telegram;
import org.blockwatch.core.whatsapp.WhatsApp;
import org.blockwatch.sim.CertificateAuthority;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each app kind's record, measured in a loopback world where everything answers, beside its OONI
 * spec's example measurement: the same test_name, a test_version of the form OONI gives, every key
 * of the example's test_keys present with the same JSON type, no key of our own without OONI's
 * x_ prefix; and valid against the project's OONI schema (docs/ooni-measurement.schema.json).
 */
class OoniRecordsTest {
    static final ProbeInfo PROBE = new ProbeInfo("AS9198", "KZ", "KazakhTelecom", "blockwatch", "test");
    static AppWorld world;
    static Nettests kinds;
    static Schema schema;

    @BeforeAll
    static void world() throws Exception {
        world = new AppWorld();
        CertificateAuthority signalRoot = CertificateAuthority.root("CN=Signal test root");
        world.name("web.tg.test", "127.100.5.1").route("127.100.5.1", 443, world.https(world.trusted, "web.tg.test").getPort());
        for (String dc : List.of("127.100.5.11", "127.100.5.12")) {
            world.route(dc, 80, world.http.getPort()).route(dc, 443, world.http.getPort());
        }
        world.name("e1.wa.test", "127.100.5.21").route("127.100.5.21", 443, world.http.getPort()).route("127.100.5.21", 5222, world.http.getPort());
        world.name("v.wa.test", "127.100.5.22").route("127.100.5.22", 443, world.https(world.trusted, "v.wa.test").getPort());
        world.name("web.wa.test", "127.100.5.23").route("127.100.5.23", 443, world.https(world.trusted, "web.wa.test").getPort());
        world.name("chat.sig.test", "127.100.5.31").route("127.100.5.31", 443, world.https(signalRoot, "chat.sig.test").getPort());
        world.name("uptime.sig.test", "127.100.5.39");
        // Messenger's seven services of OONI's keys, each on an address of "Facebook's" range here.
        List<FacebookMessenger.Service> services = new java.util.ArrayList<>();
        int n = 41;
        for (FacebookMessenger.Service s : FacebookMessenger.Endpoints.DEFAULT.services()) {
            String host = s.key().replace('_', '-') + ".fb.test";
            String ip = "127.100.5." + n++;
            world.name(host, ip).route(ip, 443, world.http.getPort());
            services.add(new FacebookMessenger.Service(s.key(), host));
        }
        Steps steps = world.steps();
        AppControl control = AppWorld.controlReachingAll().control();
        kinds = Nettests.of(List.<Nettest>of(
                new Telegram(steps, control, new Telegram.Endpoints(List.of("127.100.5.11", "127.100.5.12"), "https://web.tg.test/")),
                new WhatsApp(steps, control, new WhatsApp.Endpoints(List.of("e1.wa.test"), "https://v.wa.test/v2/register", "https://web.wa.test/")),
                new Signal(steps, control, new Signal.Endpoints(List.of("https://chat.sig.test/"), "uptime.sig.test", List.of(signalRoot.certificate()))),
                new FacebookMessenger(steps, control, new FacebookMessenger.Endpoints(services, List.of(AddressRange.parse("127.100.5.0/24"))))));
        try (InputStream in = Files.newInputStream(Path.of("../docs/ooni-measurement.schema.json"))) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
    }

    @AfterAll
    static void close() throws Exception {
        world.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"telegram", "whatsapp", "signal", "facebook_messenger"})
    void aRecordCarriesTheSpecsNameAndKeysAndValidates(String testName) throws Exception {
        Nettest kind = kinds.kindFor(testName);
        Measurement m = Nettests.measure(kind, "");
        assertThat(m.result().verdict().status().label()).as(m.result().verdict().explanation()).isEqualTo("accessible");
        Instant start = m.result().startTime();
        ObjectNode doc = OoniDocument.tree(m, PROBE, new OoniDocument.Place(Report.open(start, m.testName(), "KZ", "AS9198"),
                MeasurementUid.next(start, "KZ", testName), "COMT"), ProbeAddressScrubber.NONE);

        JsonNode example;
        try (InputStream in = getClass().getResourceAsStream("ooni-examples/" + testName + ".json")) {
            example = MeasurementJson.mapper().readTree(in);
        }
        assertThat(doc.get("test_name").asText()).isEqualTo(example.get("test_name").asText());
        assertThat(doc.get("test_version").asText()).matches("[0-9]+\\.[0-9]+\\.[0-9]+");
        assertThat(doc.get("input").isNull()).isEqualTo(example.get("input").isNull());

        JsonNode ours = doc.get("test_keys");
        JsonNode theirs = example.get("test_keys");
        Set<String> ourKeys = new HashSet<>();
        ours.fieldNames().forEachRemaining(ourKeys::add);
        for (Iterator<String> it = theirs.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            // The spec's example of facebook_messenger predates its keys' rename in 0.4.0 only in one respect: none here.
            assertThat(ourKeys).as("OONI's key %s", key).contains(key);
            assertThat(typeOf(ours.get(key))).as("the type of %s", key).isIn(typeOf(theirs.get(key)), JsonNodeType.NULL);
        }
        for (String key : ourKeys) {
            if (key.startsWith("x_")) continue;
            assertThat(theirs.has(key) || key.equals("socksproxy") || key.equals("failed_operation") || key.equals("failure")
                    || key.equals("requests") || key.equals("tls_handshakes") || key.equals("network_events") || key.endsWith("_reachable")
                    || key.endsWith("_dns_consistent")).as("a key of ours without x_: %s", key).isTrue();
        }
        assertThat(schema.validate(doc)).as("schema errors").isEmpty();
    }

    /** Booleans and null are told apart; numbers are numbers. */
    private static JsonNodeType typeOf(JsonNode n) {
        return n == null ? JsonNodeType.MISSING : n.getNodeType();
    }
}
