package org.blockwatch.agent.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.blockwatch.agent.settings.Keys;
import org.blockwatch.agent.settings.ProbeFactory;
import org.blockwatch.agent.settings.Settings;
import org.blockwatch.agent.store.MeasurementStore;
import org.blockwatch.agent.store.TargetState;
import org.blockwatch.agent.targets.Target;
import org.blockwatch.core.control.ControlClient;
import org.blockwatch.core.engine.TargetUrl;
import org.blockwatch.core.tls.TrustRoots;
import org.blockwatch.core.verdict.Analyzer;
import org.blockwatch.scenarios.CensoredWorld;
import org.blockwatch.scenarios.Scenario;
import org.blockwatch.scenarios.Technique;
import org.blockwatch.core.verdict.Verdict.Method;
import org.blockwatch.core.verdict.Verdict.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent over the scenario table's censored world: one sweep measures every site, confirms
 * each new state with a second measurement, and publishes the state the table expects.
 */
class AgentScenarioTest {
    @TempDir
    Path tmp;

    @Test
    void oneSweepPublishesTheStateTheTableExpectsForEverySite() throws Exception {
        try (CensoredWorld world = CensoredWorld.start()) {
            List<Target> targets = world.scenarios().stream()
                    .map(s -> new Target(TargetUrl.parse(world.url(s)), "DEMO", "Demo", "scenario table")).toList();
            TrustRoots trust = TrustRoots.jdkPlus(List.of(world.root()));
            ControlClient control = new ControlClient(List.of(world.controlUrl()), Duration.ofSeconds(10), Duration.ofSeconds(20), trust, null);
            ProbeFactory.Parts parts = new ProbeFactory.Parts(world.probeEngine(), trust, control, Analyzer.standard(world.bogons()));
            Settings settings = Settings.defaults().with(Keys.METRICS_LISTEN, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .with(Keys.ASN, "AS64500").with(Keys.COUNTRY, "KZ") /* stated: nothing is looked up */
                    .with(Keys.CONCURRENCY, 8);
            try (Agent agent = new Agent(settings, targets, parts, MeasurementStore.open(tmp.resolve("store.db")), "test")) {
                var result = agent.sweeper().sweep(targets, new AtomicBoolean());
                assertThat(result.online()).isTrue();
                assertThat(result.measured()).isEqualTo(targets.size());
                for (Scenario s : world.scenarios()) {
                    TargetState published = agent.sweeper().published().get(world.url(s));
                    assertThat(published).as(s.toString()).isNotNull();
                    assertThat(published.state()).as(s.toString()).isEqualTo(s.withControl().status());
                    assertThat(published.method()).as(s.toString()).isEqualTo(s.withControl().method());
                }
            }
        }
    }

    /**
     * A censor that drops the connection one time and resets the handshake the next: the first
     * measurement says blocked by tcp_ip, the confirming one blocked by tls. Both say blocked, so
     * the block is published after one sweep, with the method of the stronger evidence (a
     * failure that got further: the TCP connect worked), and both measurements are stored.
     */
    @Test
    void aFlakyCensorIsPublishedBlockedAfterOneSweepWithTheStrongerEvidencesMethod() throws Exception {
        Scenario flaky = new Scenario("flaky.example", true, Technique.FLAKY_DROP_THEN_RESET, Scenario.Expected.of(Status.BLOCKED, Method.TLS), null);
        try (CensoredWorld world = CensoredWorld.start(List.of(flaky))) {
            Target target = new Target(TargetUrl.parse(world.url(flaky)), "DEMO", "Demo", "scenario table");
            TrustRoots trust = TrustRoots.jdkPlus(List.of(world.root()));
            ControlClient control = new ControlClient(List.of(world.controlUrl()), Duration.ofSeconds(10), Duration.ofSeconds(20), trust, null);
            ProbeFactory.Parts parts = new ProbeFactory.Parts(world.probeEngine(), trust, control, Analyzer.standard(world.bogons()));
            Settings settings = Settings.defaults().with(Keys.METRICS_LISTEN, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                    .with(Keys.ASN, "AS64500").with(Keys.COUNTRY, "KZ");
            Path store = tmp.resolve("store.db");
            try (Agent agent = new Agent(settings, List.of(target), parts, MeasurementStore.open(store), "test")) {
                agent.sweeper().sweep(List.of(target), new AtomicBoolean());

                TargetState published = agent.sweeper().published().get(world.url(flaky));
                assertThat(published).as("published after one sweep").isNotNull();
                assertThat(published.state()).isEqualTo(Status.BLOCKED);
                assertThat(published.method()).isEqualTo(Method.TLS);
                try (StoreReader stored = new StoreReader(store)) {
                    assertThat(stored.methodsOf(world.url(flaky))).containsExactly("tcp_ip", "tls");
                }
            }
        }
    }
}
