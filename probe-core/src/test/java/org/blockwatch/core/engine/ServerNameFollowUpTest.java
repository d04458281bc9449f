package org.blockwatch.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.blockwatch.core.archival.MeasurementJson;
import org.blockwatch.core.archival.SniProbe;
import org.blockwatch.core.archival.WebObservation;
import org.blockwatch.core.control.wire.ControlResponse;
import org.blockwatch.core.control.wire.ControlResult;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.ip.Bogons;
import org.blockwatch.core.verdict.Analyzer;
import org.blockwatch.core.verdict.Verdict;
import org.blockwatch.core.verdict.Verdict.Flag;
import org.blockwatch.core.verdict.Verdict.Method;
import org.blockwatch.core.verdict.Verdict.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The follow-up after a failed handshake, end to end: the engine measures a site behind a censor
 * on loopback that resets, stalls or intercepts only ClientHellos naming the site, then
 * handshakes again on the same address under a random name, no name and the site's name; the
 * analysis tells the name from the address. The censor counts what the follow-up costs on the wire.
 */
class ServerNameFollowUpTest {
    private static final String SITE = "site.test";
    private static final Analyzer ANALYZER = Analyzer.standard(Bogons.DEFAULT);
    private static SimulatedInternet net;
    private static WebEngine engine;

    @BeforeAll
    static void start() throws Exception {
        net = new SimulatedInternet();
        engine = new WebEngine(net.config());
    }

    @AfterAll
    static void stop() throws Exception {
        engine.close();
        net.close();
    }

    private static WebObservation measure(int port) {
        return engine.measure(TargetUrl.parse("https://" + SITE + ":" + port + "/"));
    }

    private static List<SniProbe> followUp(WebObservation o) {
        return o.sniProbes().stream().filter(p -> p.followUp().equals(SniProbe.TLS_FAILURE)).toList();
    }

    /** A control that handshook with the site on the address the probe used (the control's path has no censor). */
    private static ControlResult control(int port) {
        String endpoint = "127.0.0.1:" + port;
        return new ControlResult(new ControlResponse(new ControlResponse.Dns(null, List.of("127.0.0.1")),
                Map.of(endpoint, new ControlResponse.TcpConnect(true, null)),
                Map.of(endpoint, new ControlResponse.TlsHandshake(SITE, true, null)),
                new ControlResponse.HttpRequest(100, null, "Welcome to the site", Map.of(), 200), Map.of()), null, "http://helper/");
    }

    private static Verdict verdict(WebObservation o, ControlResult c) {
        return ANALYZER.analyze(o, c).verdict();
    }

    /** The three names in their order, and the site's failing again while the others passed. */
    private static void assertProvenByName(WebObservation o, int port, String failure) {
        List<SniProbe> probes = followUp(o);
        assertThat(probes).hasSize(3);
        assertThat(probes).allSatisfy(p -> assertThat(p.address()).isEqualTo("127.0.0.1:" + port));
        assertThat(probes.get(0).serverName()).matches("[a-z]{10}\\.test").isNotEqualTo(SITE);
        assertThat(probes.get(1).serverName()).isEmpty();
        assertThat(probes.get(2).serverName()).isEqualTo(SITE);
        assertThat(probes.get(0).failure()).isNull();
        assertThat(probes.get(1).failure()).isNull();
        assertThat(probes.get(2).failure()).isEqualTo(failure);
        assertThat(probes).allSatisfy(p -> assertThat(p.bodyBytes()).isZero());
    }

    @Test
    void aResetOfTheSitesNameOnlyIsProvenByNameWithAndWithoutAControl() throws Exception {
        try (SniCensor censor = SniCensor.resetting(net.https.getPort(), SITE)) {
            WebObservation o = measure(censor.port());
            assertThat(o.tlsHandshakes()).hasSize(1);
            assertThat(o.tlsHandshakes().get(0).failure()).isEqualTo(Failure.CONNECTION_RESET);
            assertProvenByName(o, censor.port(), Failure.CONNECTION_RESET);
            // The others reached the site's server: its chain, to the trusted test root, for another name than theirs.
            List<SniProbe> probes = followUp(o);
            for (SniProbe other : probes.subList(0, 2)) {
                assertThat(other.certificateFailure()).isEqualTo(Failure.SSL_INVALID_HOSTNAME);
                assertThat(other.chainIssuer()).contains("blockwatch test root");
                assertThat(other.leafSha256()).hasSize(64).isEqualTo(probes.get(0).leafSha256());
            }
            assertThat(probes.get(2).gotChain()).isFalse();
            // The censor saw the site's name twice: the first handshake and the repeat.
            assertThat(censor.connections()).hasSize(4);
            assertThat(censor.connections().stream().filter(SniCensor.Connection::caught)).hasSize(2);

            for (ControlResult c : List.of(control(censor.port()), ControlResult.none("generic_timeout_error"))) {
                Verdict v = verdict(o, c);
                assertThat(v.status()).isEqualTo(Status.BLOCKED);
                assertThat(v.method()).isEqualTo(Method.TLS);
                assertThat(v.flags()).contains(Flag.SNI_BLOCKED.label()).doesNotContain(Flag.IP_BLOCKED.label());
                assertThat(v.explanation()).contains("server name is the trigger", "127.0.0.1:" + censor.port(), SITE,
                        probes.get(0).serverName(), "no name");
            }
            report("reset by name", o, censor);
        }
    }

    @Test
    void aStallOfTheSitesNameOnlyIsProvenByName() throws Exception {
        try (SniCensor censor = SniCensor.stalling(net.https.getPort(), SITE)) {
            WebObservation o = measure(censor.port());
            assertThat(o.tlsHandshakes().get(0).failure()).isEqualTo(Failure.GENERIC_TIMEOUT);
            assertProvenByName(o, censor.port(), Failure.GENERIC_TIMEOUT);
            Verdict v = verdict(o, control(censor.port()));
            assertThat(v.method()).isEqualTo(Method.TLS);
            assertThat(v.flags()).contains(Flag.SNI_BLOCKED.label()).doesNotContain(Flag.THROTTLED.label());
            report("stall by name", o, censor);
        }
    }

    @Test
    void interceptionOfTheSitesNameOnlyIsInterceptionByName() throws Exception {
        try (SniCensor censor = SniCensor.diverting(net.https.getPort(), SITE, net.mitm.getPort())) {
            WebObservation o = measure(censor.port());
            assertThat(o.tlsHandshakes().get(0).failure()).isEqualTo(Failure.SSL_UNKNOWN_AUTHORITY);
            List<SniProbe> probes = followUp(o);
            assertThat(probes).hasSize(3).allSatisfy(p -> assertThat(p.failure()).isNull());
            SniProbe random = probes.get(0);
            SniProbe repeat = probes.get(2);
            assertThat(random.certificateFailure()).isEqualTo(Failure.SSL_INVALID_HOSTNAME);
            assertThat(random.chainIssuer()).contains("blockwatch test root");
            assertThat(repeat.certificateFailure()).isEqualTo(Failure.SSL_UNKNOWN_AUTHORITY);
            assertThat(repeat.chainIssuer()).contains("Rogue Interception Root");
            assertThat(repeat.leafSha256()).isNotEqualTo(random.leafSha256());
            Verdict v = verdict(o, control(censor.port()));
            assertThat(v.method()).isEqualTo(Method.TLS);
            assertThat(v.flags()).contains(Flag.TLS_MITM.label(), Flag.SNI_BLOCKED.label()).doesNotContain(Flag.IP_BLOCKED.label());
            assertThat(v.explanation()).contains("intercepted", "server name is the trigger", "trusted root");
            report("interception by name", o, censor);
        }
    }

    @Test
    void everyNameResetIsTheAddressNotTheName() {
        int port = net.resetOnHello.port();
        WebObservation o = measure(port);
        List<SniProbe> probes = followUp(o);
        assertThat(probes).hasSize(3).allSatisfy(p -> assertThat(p.failure()).isEqualTo(Failure.CONNECTION_RESET));
        Verdict v = verdict(o, control(port));
        assertThat(v.status()).isEqualTo(Status.BLOCKED);
        assertThat(v.method()).isEqualTo(Method.TLS);
        assertThat(v.flags()).contains(Flag.IP_BLOCKED.label()).doesNotContain(Flag.SNI_BLOCKED.label());
        assertThat(v.explanation()).contains("address is blocked, not the name");
        // Without a control, a site whose every name fails may be down: no verdict.
        assertThat(verdict(o, ControlResult.none("generic_timeout_error")).status()).isEqualTo(Status.INCONCLUSIVE);
    }

    @Test
    void anInterceptorForEveryNameIsTheAddress() {
        int port = net.mitm.getPort();
        WebObservation o = measure(port);
        List<SniProbe> probes = followUp(o);
        assertThat(probes).hasSize(3);
        assertThat(probes).extracting(SniProbe::leafSha256).containsOnly(probes.get(2).leafSha256());
        assertThat(probes).allSatisfy(p -> assertThat(p.certificateFailure()).isEqualTo(Failure.SSL_UNKNOWN_AUTHORITY));
        Verdict v = verdict(o, control(port));
        assertThat(v.flags()).contains(Flag.TLS_MITM.label(), Flag.IP_BLOCKED.label()).doesNotContain(Flag.SNI_BLOCKED.label());
    }

    @Test
    void aSiteThatWorksPaysNothingAndTheRecordsCarryTheNewKeys() throws Exception {
        // The censor catches another name: the site's handshake passes, and nothing follows it.
        try (SniCensor censor = SniCensor.resetting(net.https.getPort(), "other.test")) {
            WebObservation o = measure(censor.port());
            assertThat(o.httpExperimentFailure()).isNull();
            assertThat(followUp(o)).isEmpty();
            // The address's check and the page's fetch; on a loaded machine a loopback handshake can be slow enough for
            // the throttling follow-up, whose connections are its own.
            assertThat(censor.connections()).hasSize(2 + o.sniProbes().size());
        }
        WebObservation reset = measure(net.resetOnHello.port());
        JsonNode probe = MeasurementJson.mapper().valueToTree(reset).get("x_sni_probes").get(0);
        for (String key : List.of("server_name", "address", "handshake_seconds", "body_bytes", "body_seconds", "bytes_per_second", "failure",
                "t0", "t", "transaction_id", "follow_up", "certificate_failure", "leaf_sha256", "chain_issuer")) {
            assertThat(probe.has(key)).as(key).isTrue();
        }
        assertThat(probe.get("follow_up").asText()).isEqualTo("tls_failure");
        assertThat(probe.has("got_chain")).isFalse();
    }

    @Test
    void aMeasurementThatReachedItsDeadlineMakesNoFollowUp() throws Exception {
        // The stalled handshake runs into the URL's deadline: probes made now would all time out at once, every name
        // failing for want of time, not because of the censor.
        try (WebEngine tight = new WebEngine(net.config().withUrlDeadline(net.config().stepTimeout()))) {
            WebObservation o = tight.measure(TargetUrl.parse("https://" + SITE + ":" + net.stall.port() + "/"));
            assertThat(o.tlsHandshakes().get(0).failure()).isEqualTo(Failure.GENERIC_TIMEOUT);
            assertThat(o.sniProbes()).isEmpty();
        }
        assertThat(followUp(measure(net.stall.port()))).hasSize(3);
    }

    /** What the follow-up cost, for the record (not asserted): its connections' bytes at the censor and its time. */
    private static void report(String what, WebObservation o, SniCensor censor) {
        List<SniCensor.Connection> connections = censor.connections();
        long bytes = connections.subList(1, connections.size()).stream().mapToLong(SniCensor.Connection::bytes).sum();
        List<SniProbe> probes = followUp(o);
        // From the end of the site's own handshake (the follow-up starts once the hop has failed) to the last probe's end.
        double seconds = probes.stream().mapToDouble(SniProbe::t).max().orElse(0) - o.tlsHandshakes().get(0).t();
        System.out.println(String.format(Locale.ROOT, "follow-up cost, %s: %d bytes on the wire in %d connections, %.3f s (measurement %.3f s)",
                what, bytes, connections.size() - 1, seconds, o.runtimeSeconds()));
    }
}
