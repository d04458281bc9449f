package org.blockwatch.core.measurement;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.blockwatch.core.dns.ResolverAddress;
import org.blockwatch.core.engine.EngineConfig;
import org.blockwatch.core.engine.TargetUrl;
import org.blockwatch.core.engine.WebEngine;
import org.blockwatch.core.ip.Bogons;
import org.blockwatch.core.step.StepKind;
import org.blockwatch.core.step.StepListener;
import org.blockwatch.core.verdict.Analyzer;
import org.blockwatch.core.verdict.Verdict.Status;
import org.junit.jupiter.api.Test;

class WebConnectivityTest {
    @Test
    void anErrorInsideAMeasurementStillGivesTheUrlAMeasurementThatSaysSo() throws Exception {
        // A bug inside the measurement: here, a step listener that throws.
        StepListener broken = new StepListener() {
            @Override
            public void started(StepKind step, String subject) {
                throw new IllegalStateException("a bug in a listener");
            }
        };
        // The resolver is a closed loopback port: nothing leaves the machine.
        EngineConfig config = EngineConfig.defaults().withResolver(ResolverAddress.parse("127.0.0.1:9")).withStepTimeout(Duration.ofSeconds(1))
                .withListener(broken);
        try (WebEngine engine = new WebEngine(config)) {
            WebConnectivity test = new WebConnectivity(engine, null, Analyzer.standard(Bogons.DEFAULT));
            List<Measurement> all = new ArrayList<>();
            test.measureAll(List.of(TargetUrl.parse("https://a.example/"), TargetUrl.parse("https://b.example/")), all::add);

            assertThat(all).hasSize(2).allSatisfy(m -> {
                assertThat(m.observation().httpExperimentFailure()).isEqualTo("unknown_failure: java.lang.IllegalStateException: a bug in a listener");
                assertThat(m.verdict().status()).isEqualTo(Status.INCONCLUSIVE);
                assertThat(m.verdict().explanation()).startsWith("The measurement could not be made (unknown_failure: ");
            });
            assertThat(all).extracting(m -> m.observation().input()).containsExactlyInAnyOrder("https://a.example/", "https://b.example/");
        }
    }
}
