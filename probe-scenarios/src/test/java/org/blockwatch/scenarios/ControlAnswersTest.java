package org.blockwatch.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.blockwatch.core.control.ControlClient;
import org.blockwatch.core.control.wire.ControlResult;
import org.blockwatch.core.engine.TargetUrl;
import org.blockwatch.core.tls.TrustRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The world's control server (blockwatch's own test helper, outside the censor) over the same
 * table: every site the censor touches loads at the control, and the sites down for everyone fail
 * there too. That difference is what the verdicts stand on.
 */
class ControlAnswersTest {
    private static CensoredWorld world;
    private static ControlClient control;

    @BeforeAll
    static void start() throws Exception {
        world = CensoredWorld.start();
        control = new ControlClient(List.of(world.controlUrl()), Duration.ofSeconds(10), Duration.ofSeconds(20),
                TrustRoots.jdkPlus(List.of(world.root())), null);
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    static List<Scenario> scenarios() {
        return Scenarios.ALL;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void theControlSeesTheSiteAsItIsOutsideTheCensor(Scenario s) {
        ControlResult r = control.query(TargetUrl.parse(world.url(s)), List.of());
        assertThat(r.available()).as(s + ": " + r.failure()).isTrue();
        boolean down = s.censor() == Technique.DOWN_REFUSED || s.censor() == Technique.DOWN_NXDOMAIN;
        if (down) {
            assertThat(r.response().httpRequest().failure()).as(s.toString()).isNotNull();
        } else {
            assertThat(r.response().httpRequest().failure()).as(s.toString()).isNull();
            assertThat(r.response().httpRequest().statusCode()).as(s.toString()).isEqualTo(200);
            assertThat(r.response().dns().addrs()).as(s.toString()).containsExactly(CensoredWorld.PUBLIC);
            // blockwatch's helper reports its own step times (x_timings), a reference for throttling.
            assertThat(r.response().timings()).as(s.toString()).containsKey("http_response");
            if (s.https()) assertThat(r.response().timings()).as(s.toString()).containsKey("tls_handshake");
        }
    }
}
