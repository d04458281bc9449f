package org.blockwatch.agent.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.blockwatch.core.measurement.Measurement;
import org.blockwatch.core.verdict.Verdict;
import org.blockwatch.core.verdict.Verdict.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the censor does, and the verdict the probe must reach, measured end to end: probe, real
 * control server, analysis. One row per technique of the reference and per kind of outage.
 */
class VerdictScenarioTest {
    private static CensoredWorld world;

    @BeforeAll
    static void start() throws Exception {
        world = new CensoredWorld();
    }

    @AfterAll
    static void stop() throws Exception {
        world.close();
    }

    record Scenario(String name, Function<CensoredWorld, String> url, boolean control, Status status, String method, List<String> flags) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Scenario row(String name, Function<CensoredWorld, String> url, Status status, String method, String... flags) {
        return new Scenario(name, url, true, status, method, List.of(flags));
    }

    private static Scenario noControl(String name, Function<CensoredWorld, String> url, Status status, String method, String... flags) {
        return new Scenario(name, url, false, status, method, List.of(flags));
    }

    static Stream<Arguments> scenarios() {
        return Stream.of(
                row("the site is fine over HTTPS", w -> "https://site.test:" + w.https.getPort() + "/", Status.ACCESSIBLE, null),
                row("the site is fine over HTTP", w -> "http://site.test:" + w.http.getPort() + "/", Status.ACCESSIBLE, null),
                row("localhost answer while the control resolves public addresses",
                        w -> "http://localhost.test:" + w.http.getPort() + "/", Status.BLOCKED, Verdict.DNS, "dns_bogon"),
                row("NXDOMAIN only locally", w -> "http://nx-local.test:" + w.http.getPort() + "/", Status.BLOCKED, Verdict.DNS),
                row("NXDOMAIN at both ends", w -> "http://nx-both.test:" + w.http.getPort() + "/", Status.DOWN, null),
                row("connect timeout only locally", w -> "http://dropped.test:" + w.httpDropped.getPort() + "/", Status.BLOCKED, Verdict.TCP_IP),
                row("reset on the SNI", w -> "https://reset.test:" + w.httpsReset.getPort() + "/", Status.BLOCKED, Verdict.TLS),
                row("TLS handshake stall", w -> "https://stall.test:" + w.httpsStall.getPort() + "/", Status.BLOCKED, Verdict.TLS),
                row("a chain from an unknown root", w -> "https://mitm.test:" + w.httpsMitm.getPort() + "/", Status.BLOCKED, Verdict.TLS, "tls_mitm"),
                row("a chain from a government root", w -> "https://gov.test:" + w.httpsGovernment.getPort() + "/", Status.BLOCKED,
                        Verdict.TLS, "tls_mitm", "tls_mitm_government_root"),
                row("a blockpage in place of the page", w -> "http://bp.test:" + w.httpBlockpage.getPort() + "/", Status.BLOCKED,
                        Verdict.HTTP_DIFF, "blockpage:cp.c_isp_kg_elcat"),
                row("a blockpage over valid HTTPS", w -> "https://bp.test:" + w.httpsBlockpage.getPort() + "/", Status.BLOCKED, Verdict.HTTP_DIFF),
                row("a site down everywhere", w -> "http://down.test:" + w.closedPort + "/", Status.DOWN, null),
                row("a forged DNS answer racing the real one", w -> "http://injected.test:" + w.http.getPort() + "/", Status.BLOCKED,
                        Verdict.DNS, "dns_injected"),
                noControl("the control unreachable, the site fine over HTTPS", w -> "https://site.test:" + w.https.getPort() + "/",
                        Status.ACCESSIBLE, null),
                noControl("the control unreachable, the site fine over HTTP", w -> "http://site.test:" + w.http.getPort() + "/",
                        Status.INCONCLUSIVE, null),
                noControl("the control unreachable and a local reset", w -> "https://reset.test:" + w.httpsReset.getPort() + "/",
                        Status.INCONCLUSIVE, null),
                noControl("the control unreachable and a government root", w -> "https://gov.test:" + w.httpsGovernment.getPort() + "/",
                        Status.BLOCKED, Verdict.TLS, "tls_mitm_government_root"))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void verdictMatchesWhatTheCensorDid(Scenario s) {
        String unreachableControl = "http://127.0.0.1:" + world.closedPortOnLoopback() + "/";
        Measurement m = world.measure(s.url().apply(world), s.control() ? world.controlUrl() : unreachableControl);
        Verdict v = m.verdict();
        assertThat(v.status()).as("%s: %s", s.name(), v.explanation()).isEqualTo(s.status());
        assertThat(v.method()).as("%s: %s", s.name(), v.explanation()).isEqualTo(s.method());
        assertThat(v.flags()).as(s.name()).containsAll(s.flags());
        assertThat(v.explanation()).isNotBlank();
        assertThat(m.control().available()).isEqualTo(s.control());
        if (!s.control()) assertThat(m.control().failure()).isNotNull();
    }
}
