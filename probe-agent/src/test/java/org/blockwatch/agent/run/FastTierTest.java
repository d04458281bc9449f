package org.blockwatch.agent.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.blockwatch.agent.settings.Keys;
import org.blockwatch.agent.settings.ProbeFactory;
import org.blockwatch.agent.settings.Settings;
import org.blockwatch.agent.store.MeasurementStore;
import org.blockwatch.agent.targets.Target;
import org.blockwatch.core.engine.TargetUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fast tier: its categories' targets, with the domestic baselines that tell the network's state. */
class FastTierTest {
    @TempDir
    Path tmp;

    private static Target target(String url, String category, boolean domestic) {
        return new Target(TargetUrl.parse(url), category, category, "test", domestic);
    }

    @Test
    void theTierHoldsItsCategoriesAndTheDomesticBaselines() throws Exception {
        List<Target> targets = List.of(target("https://social.example/", "GRP", false), target("https://news.example/", "NEWS", false),
                target("https://bank.example.kz/", "COMM", true));
        Settings base = Settings.defaults().with(Keys.METRICS_LISTEN, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .with(Keys.ASN, "AS64500").with(Keys.COUNTRY, "KZ") /* stated: nothing is looked up */
                .with(Keys.NO_CONTROL, true).with(Keys.EXTRA_RESOLVERS, List.of()) /* nothing off loopback, were anything measured */;
        try (Agent agent = new Agent(base.with(Keys.FAST_CATEGORIES, List.of("GRP")), targets, ProbeFactory.probe(base),
                MeasurementStore.open(tmp.resolve("a.db")), "test")) {
            assertThat(agent.fastSweep()).extracting(Target::label).containsExactly("https://social.example/", "https://bank.example.kz/");
        }
        try (Agent agent = new Agent(base, targets, ProbeFactory.probe(base), MeasurementStore.open(tmp.resolve("b.db")), "test")) {
            assertThat(agent.fastSweep()).as("no tier configured").isEmpty();
        }
    }
}
