package org.blockwatch.agent.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.blockwatch.agent.demo.DemoNetwork;
import org.blockwatch.core.control.ControlClient;
import org.blockwatch.core.engine.TargetUrl;
import org.blockwatch.core.engine.WebEngine;
import org.blockwatch.core.ip.AddressRange;
import org.blockwatch.core.ip.Bogons;
import org.blockwatch.core.measurement.Measurement;
import org.blockwatch.core.measurement.WebConnectivity;
import org.blockwatch.core.tls.TrustRoots;
import org.blockwatch.core.verdict.Analyzer;
import org.blockwatch.core.verdict.Verdict;
import org.blockwatch.core.verdict.Verdict.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the censor does, and the verdict the probe must reach, measured end to end in the demo's
 * censored network: the probe behind the censor, a real control server over the open path, the
 * analysis. One row per technique of the reference and per kind of outage, with and without a control.
 */
class VerdictScenarioTest {
    private static DemoNetwork net;
    private static WebEngine engine;
    private static String unreachableControl;

    @BeforeAll
    static void start() throws Exception {
        net = DemoNetwork.start();
        engine = new WebEngine(net.probeEngine());
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            unreachableControl = "http://127.0.0.1:" + s.getLocalPort() + "/"; // nothing listens there once closed
        }
    }

    @AfterAll
    static void stop() {
        engine.close();
        net.close();
    }

    record Scenario(String name, String host, boolean control, Status status, String method, List<String> flags) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Arguments row(String name, String host, Status status, String method, String... flags) {
        return Arguments.of(new Scenario(name, host, true, status, method, List.of(flags)));
    }

    private static Arguments noControl(String name, String host, Status status, String method, String... flags) {
        return Arguments.of(new Scenario(name, host, false, status, method, List.of(flags)));
    }

    static Stream<Arguments> scenarios() {
        return Stream.of(
                row("the site is fine over HTTPS", "news.example", Status.ACCESSIBLE, null),
                row("the site is fine over HTTP", "plain.example", Status.ACCESSIBLE, null),
                row("localhost answer while the control resolves public addresses", "localhost.example", Status.BLOCKED, Verdict.DNS, "dns_bogon"),
                row("NXDOMAIN only locally", "nxdomain.example", Status.BLOCKED, Verdict.DNS),
                row("NXDOMAIN at both ends", "gone.example", Status.DOWN, null),
                row("a forged DNS answer racing the real one", "injected.example", Status.BLOCKED, Verdict.DNS, "dns_injected"),
                row("connect timeout only locally", "dropped.example", Status.BLOCKED, Verdict.TCP_IP),
                row("reset after the ClientHello", "reset.example", Status.BLOCKED, Verdict.TLS),
                row("TLS handshake stall", "stall.example", Status.BLOCKED, Verdict.TLS),
                row("a chain from an unknown root", "mitm.example", Status.BLOCKED, Verdict.TLS, "tls_mitm"),
                row("a chain from a government root", "qaznet.example", Status.BLOCKED, Verdict.TLS, "tls_mitm", "tls_mitm_government_root"),
                row("a blockpage in place of the page", "blockpage.example", Status.BLOCKED, Verdict.HTTP_DIFF, "blockpage:cp.c_isp_kg_elcat"),
                row("a blockpage over valid HTTPS", "denied.example", Status.BLOCKED, Verdict.HTTP_DIFF),
                row("throttled, still accessible", "throttled.example", Status.ACCESSIBLE, null, "throttled"),
                row("a site down everywhere", "down.example", Status.DOWN, null),
                noControl("the control unreachable, the site fine over HTTPS", "news.example", Status.ACCESSIBLE, null),
                noControl("the control unreachable, the site fine over HTTP", "plain.example", Status.INCONCLUSIVE, null),
                noControl("the control unreachable and a local reset", "reset.example", Status.INCONCLUSIVE, null),
                noControl("the control unreachable and a government root", "qaznet.example", Status.BLOCKED, Verdict.TLS, "tls_mitm_government_root"),
                noControl("the control unreachable and a known blockpage", "blockpage.example", Status.BLOCKED, Verdict.HTTP_DIFF,
                        "blockpage:cp.c_isp_kg_elcat"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void verdictMatchesWhatTheCensorDid(Scenario s) {
        ControlClient control = new ControlClient(List.of(s.control() ? net.controlUrl() : unreachableControl), Duration.ofSeconds(10),
                Duration.ofSeconds(20), TrustRoots.jdkPlus(List.of(net.ca().certificate())), null);
        Analyzer analyzer = Analyzer.standard(new Bogons(List.of(AddressRange.parse(DemoNetwork.PUBLIC_RANGE))));
        Measurement m = new WebConnectivity(engine, control, analyzer).measure(TargetUrl.parse(net.url(s.host())));
        Verdict v = m.verdict();
        assertThat(v.status()).as("%s: %s", s.name(), v.explanation()).isEqualTo(s.status());
        assertThat(v.method()).as("%s: %s", s.name(), v.explanation()).isEqualTo(s.method());
        assertThat(v.flags()).as(s.name()).containsAll(s.flags());
        assertThat(v.explanation()).isNotBlank();
        assertThat(m.control().available()).isEqualTo(s.control());
        if (!s.control()) assertThat(m.control().failure()).isNotNull();
    }
}
