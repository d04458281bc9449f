package org.blockwatch.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.blockwatch.core.control.ControlClient;
import org.blockwatch.core.engine.TargetUrl;
import org.blockwatch.core.engine.WebEngine;
import org.blockwatch.core.webconnectivity.WebMeasurement;
import org.blockwatch.core.webconnectivity.WebConnectivity;
import org.blockwatch.core.tls.TrustRoots;
import org.blockwatch.core.verdict.Analyzer;
import org.blockwatch.core.verdict.Verdict;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scenario table, measured end to end in the censored world: the probe behind the censor, a
 * real control server over the open path, the analysis. Every row with the control answering,
 * and the rows that state it with the control unreachable.
 */
class VerdictScenarioTest {
    private static CensoredWorld world;
    private static WebEngine engine;
    private static String unreachableControl;

    @BeforeAll
    static void start() throws Exception {
        world = CensoredWorld.start();
        engine = new WebEngine(world.probeEngine());
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            unreachableControl = "http://127.0.0.1:" + s.getLocalPort() + "/"; // nothing listens there once closed
        }
    }

    @AfterAll
    static void stop() {
        engine.close();
        world.close();
    }

    record Case(Scenario scenario, boolean control, Scenario.Expected expected) {
        @Override
        public String toString() {
            return scenario + (control ? "" : " (control unreachable)") + " -> " + expected;
        }
    }

    static Stream<Arguments> cases() {
        Stream<Case> withControl = Scenarios.ALL.stream().map(s -> new Case(s, true, s.withControl()));
        Stream<Case> withoutControl = Scenarios.ALL.stream().filter(s -> s.withoutControl() != null).map(s -> new Case(s, false, s.withoutControl()));
        return Stream.concat(withControl, withoutControl).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void verdictMatchesWhatTheCensorDid(Case c) {
        ControlClient control = new ControlClient(List.of(c.control() ? world.controlUrl() : unreachableControl), Duration.ofSeconds(10),
                Duration.ofSeconds(20), TrustRoots.jdkPlus(List.of(world.ca().certificate())), null);
        WebMeasurement m = new WebConnectivity(engine, control, Analyzer.standard(world.bogons())).measure(TargetUrl.parse(world.url(c.scenario())));
        Verdict v = m.verdict();
        assertThat(v.status()).as("%s: %s", c, v.explanation()).isEqualTo(c.expected().status());
        assertThat(v.method()).as("%s: %s", c, v.explanation()).isEqualTo(c.expected().method());
        assertThat(v.flags()).as(c.toString()).containsAll(c.expected().flags());
        assertThat(c.expected().matches(v)).isTrue();
        assertThat(v.explanation()).isNotBlank();
        assertThat(m.control().available()).isEqualTo(c.control());
        if (!c.control()) assertThat(m.control().failure()).isNotNull();
    }
}
