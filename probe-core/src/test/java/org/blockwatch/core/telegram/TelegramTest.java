package org.blockwatch.core.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.blockwatch.core.apps.AppControl;
import org.blockwatch.core.apps.AppWorld;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.nettest.Result;
import org.blockwatch.core.verdict.Verdict.Method;
import org.blockwatch.core.verdict.Verdict.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Telegram's rule edges: every data centre failing vs one answering, on which port, and the web client apart. */
class TelegramTest {
    static final List<String> DCS = List.of("127.100.1.1", "127.100.1.2");
    static final String WEB = "https://web.tg.test/";
    static final ProbeInfo PROBE = new ProbeInfo("AS1", "KZ", "test", "blockwatch", "test");
    AppWorld world;

    @BeforeEach
    void world() throws Exception {
        world = new AppWorld();
        world.name("web.tg.test", "127.100.1.10");
        world.route("127.100.1.10", 443, world.https(world.trusted, "web.tg.test").getPort());
    }

    @AfterEach
    void close() throws Exception {
        world.close();
    }

    private Telegram telegram(AppControl control) {
        return new Telegram(world.steps(), control, new Telegram.Endpoints(DCS, WEB));
    }

    private void answerOn(int port) {
        for (String dc : DCS) world.route(dc, port, world.http.getPort());
    }

    @Test
    void everyDataCentreAnsweringIsAccessibleAndTheControlIsNotAsked() {
        answerOn(80);
        answerOn(443);
        AppWorld.Control control = AppWorld.controlReachingAll();
        Result r = telegram(control.control()).measure("");
        ObjectNode keys = r.testKeys(PROBE);
        assertThat(keys.get("telegram_tcp_blocking").booleanValue()).isFalse();
        assertThat(keys.get("telegram_http_blocking").booleanValue()).isFalse();
        assertThat(keys.get("telegram_web_status").asText()).isEqualTo("ok");
        assertThat(keys.get("telegram_web_failure").isNull()).isTrue();
        assertThat(r.verdict().status()).isEqualTo(Status.ACCESSIBLE);
        assertThat(control.queries).isEmpty();
        // Each data centre on both ports: a connect, then an empty POST as the app sends it, in plain HTTP on 443 too.
        assertThat(keys.get("tcp_connect")).hasSize(2 * 2 + 1);
        JsonNode posts = keys.get("requests");
        assertThat(posts.findValuesAsText("method")).containsOnly("POST", "GET").filteredOn("POST"::equals).hasSize(4);
        assertThat(posts.findValuesAsText("url")).contains("http://127.100.1.1/", "http://127.100.1.1:443/", "https://web.tg.test/");
    }

    @Test
    void everyDataCentreRefusedWhileTheControlReachesThemIsBlockedAtTheIpLayer() {
        AppWorld.Control control = AppWorld.controlReachingAll("127.100.1.10");
        Result r = telegram(control.control()).measure("");
        ObjectNode keys = r.testKeys(PROBE);
        assertThat(keys.get("telegram_tcp_blocking").booleanValue()).isTrue();
        assertThat(keys.get("telegram_http_blocking").booleanValue()).isTrue();
        assertThat(r.verdict().status()).isEqualTo(Status.BLOCKED);
        assertThat(r.verdict().method()).isEqualTo(Method.TCP_IP);
        // The control was asked for exactly the endpoints tried here.
        assertThat(control.queries).singleElement().satisfies(q -> assertThat(q.endpoints())
                .containsExactlyInAnyOrder("127.100.1.1:80", "127.100.1.1:443", "127.100.1.2:80", "127.100.1.2:443"));
        assertThat(keys.get("x_control").isNull()).isFalse();
    }

    @Test
    void everyDataCentreFailingForTheControlTooIsDown() {
        Result r = telegram(AppWorld.controlReachingNothing().control()).measure("");
        assertThat(r.testKeys(PROBE).get("telegram_tcp_blocking").booleanValue()).isTrue();
        assertThat(r.verdict().status()).isEqualTo(Status.DOWN);
    }

    @Test
    void withoutAControlAFailureIsInconclusiveNeverBlocked() {
        Result r = telegram(AppControl.NONE).measure("");
        assertThat(r.verdict().status()).isEqualTo(Status.INCONCLUSIVE);
        assertThat(r.testKeys(PROBE).get("x_control_failure").asText()).contains("no control");
        assertThat(r.reach().controlAnswered()).isFalse();
    }

    @Test
    void port443DroppedWhileThePostOn80IsAnsweredIsNotABlock() {
        answerOn(80);
        for (String dc : DCS) world.route(dc, 443, world.blackhole.port());
        Result r = telegram(AppWorld.controlReachingAll().control()).measure("");
        ObjectNode keys = r.testKeys(PROBE);
        assertThat(keys.get("telegram_tcp_blocking").booleanValue()).isFalse();
        assertThat(keys.get("telegram_http_blocking").booleanValue()).isFalse();
        assertThat(r.verdict().status()).isEqualTo(Status.ACCESSIBLE);
    }

    @Test
    void connectionsAcceptedButNoPostAnsweredIsHttpBlocking() {
        for (String dc : DCS) {
            world.route(dc, 80, world.reset.port());
            world.route(dc, 443, world.reset.port());
        }
        Result r = telegram(AppWorld.controlReachingAll().control()).measure("");
        ObjectNode keys = r.testKeys(PROBE);
        assertThat(keys.get("telegram_tcp_blocking").booleanValue()).isFalse();
        assertThat(keys.get("telegram_http_blocking").booleanValue()).isTrue();
        assertThat(r.verdict().method()).isEqualTo(Method.HTTP_FAILURE);
    }

    @Test
    void theWebClientsHandshakeStalledIsABlockOfTheWebClientNotOfTheApp() {
        answerOn(80);
        answerOn(443);
        world.route("127.100.1.10", 443, world.stall.port());
        Result r = telegram(AppWorld.controlReachingAll("127.100.1.10").control()).measure("");
        ObjectNode keys = r.testKeys(PROBE);
        assertThat(keys.get("telegram_web_status").asText()).isEqualTo("blocked");
        assertThat(keys.get("telegram_web_failure").asText()).isEqualTo("generic_timeout_error");
        assertThat(keys.get("telegram_tcp_blocking").booleanValue()).isFalse();
        assertThat(keys.get("telegram_http_blocking").booleanValue()).isFalse();
        assertThat(r.verdict().status()).isEqualTo(Status.BLOCKED);
        assertThat(r.verdict().method()).isEqualTo(Method.TLS);
        assertThat(r.verdict().explanation()).contains("web client web.tg.test");
    }

    @Test
    void anInputIsRefusedWithWhatItTakes() {
        Telegram t = telegram(AppControl.NONE);
        t.check("");
        t.check("telegram");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> t.check("https://telegram.org/"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes no input");
    }

    @Test
    void badEndpointsAreRefusedNamingTheApp() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Telegram.Endpoints(List.of("dc.example"), WEB))
                .hasMessageContaining("telegram").hasMessageContaining("not an IP address");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Telegram.Endpoints(DCS, "http://web.telegram.org/"))
                .hasMessageContaining("https://");
    }
}
