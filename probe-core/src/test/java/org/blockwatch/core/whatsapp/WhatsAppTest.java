package org.blockwatch.core.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.blockwatch.core.apps.AppWorld;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.nettest.Result;
import org.blockwatch.core.verdict.Verdict.Method;
import org.blockwatch.core.verdict.Verdict.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** WhatsApp's rule edges: every endpoint failing on both ports vs one answering on one. */
class WhatsAppTest {
    static final ProbeInfo PROBE = new ProbeInfo("AS1", "KZ", "test", "blockwatch", "test");
    static final List<String> ENDPOINTS = List.of("e1.wa.test", "e2.wa.test", "e3.wa.test");
    AppWorld world;

    @BeforeEach
    void world() throws Exception {
        world = new AppWorld();
        world.name("e1.wa.test", "127.100.2.1").name("e2.wa.test", "127.100.2.2").name("e3.wa.test", "127.100.2.3");
        world.name("v.wa.test", "127.100.2.20").name("web.wa.test", "127.100.2.21");
        world.route("127.100.2.20", 443, world.https(world.trusted, "v.wa.test").getPort());
        world.route("127.100.2.21", 443, world.https(world.trusted, "web.wa.test").getPort());
    }

    @AfterEach
    void close() throws Exception {
        world.close();
    }

    private Result measure(AppWorld.Control control) {
        return new WhatsApp(world.steps(), control.control(),
                new WhatsApp.Endpoints(ENDPOINTS, "https://v.wa.test/v2/register", "https://web.wa.test/")).measure("");
    }

    @Test
    void port443FailingEverywhereWhile5222AnswersIsNotABlock() {
        for (int i = 1; i <= 3; i++) world.route("127.100.2." + i, 5222, world.http.getPort());
        AppWorld.Control control = AppWorld.controlReachingAll();
        Result r = measure(control);
        ObjectNode keys = r.testKeys(PROBE);
        assertThat(keys.get("whatsapp_endpoints_status").asText()).isEqualTo("ok");
        assertThat(keys.get("whatsapp_endpoints_blocked")).isEmpty();
        assertThat(keys.get("whatsapp_endpoints_dns_inconsistent")).isEmpty();
        assertThat(keys.get("registration_server_status").asText()).isEqualTo("ok");
        assertThat(keys.get("whatsapp_web_status").asText()).isEqualTo("ok");
        assertThat(r.verdict().status()).isEqualTo(Status.ACCESSIBLE);
        assertThat(control.queries).isEmpty();
    }

    @Test
    void oneEndpointAnsweringOnOnePortIsEnoughAndTheOthersAreListed() {
        world.route("127.100.2.2", 443, world.http.getPort());
        Result r = measure(AppWorld.controlReachingAll());
        ObjectNode keys = r.testKeys(PROBE);
        assertThat(keys.get("whatsapp_endpoints_status").asText()).isEqualTo("ok");
        assertThat(keys.get("whatsapp_endpoints_blocked")).extracting(n -> n.asText()).containsExactly("e1.wa.test", "e3.wa.test");
        assertThat(r.verdict().status()).isEqualTo(Status.ACCESSIBLE);
    }

    @Test
    void everyEndpointFailingOnBothPortsWhileTheControlReachesThemIsBlocked() {
        Result r = measure(AppWorld.controlReachingAll("127.100.2.21"));
        ObjectNode keys = r.testKeys(PROBE);
        assertThat(keys.get("whatsapp_endpoints_status").asText()).isEqualTo("blocked");
        assertThat(keys.get("whatsapp_endpoints_blocked")).hasSize(3);
        assertThat(r.verdict().status()).isEqualTo(Status.BLOCKED);
        assertThat(r.verdict().method()).isEqualTo(Method.TCP_IP);
    }

    @Test
    void everyEndpointFailingForTheControlTooIsDown() {
        Result r = measure(new AppWorld.Control(q -> AppWorld.response(q, false, true, "127.100.2.21")));
        assertThat(r.testKeys(PROBE).get("whatsapp_endpoints_status").asText()).isEqualTo("blocked");
        assertThat(r.verdict().status()).isEqualTo(Status.DOWN);
    }

    @Test
    void theRegistrationServiceResetOnItsNameIsBlockedByTls() {
        for (int i = 1; i <= 3; i++) world.route("127.100.2." + i, 443, world.http.getPort());
        world.route("127.100.2.20", 443, world.reset.port());
        AppWorld.Control control = AppWorld.controlReachingAll("127.100.2.20");
        Result r = measure(control);
        ObjectNode keys = r.testKeys(PROBE);
        assertThat(keys.get("registration_server_status").asText()).isEqualTo("blocked");
        assertThat(keys.get("registration_server_failure").asText()).isEqualTo("connection_reset");
        assertThat(keys.get("whatsapp_endpoints_status").asText()).isEqualTo("ok");
        assertThat(r.verdict().status()).isEqualTo(Status.BLOCKED);
        assertThat(r.verdict().method()).isEqualTo(Method.TLS);
        // The failing page is the control's URL: it is judged in full.
        assertThat(control.queries).singleElement().satisfies(q -> assertThat(q.target().input()).isEqualTo("https://v.wa.test/v2/register"));
    }
}
