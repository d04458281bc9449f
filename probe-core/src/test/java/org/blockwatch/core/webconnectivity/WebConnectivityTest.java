package org.blockwatch.core.webconnectivity;

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
import org.junit.jupiter.api.Test;

class WebConnectivityTest {
    /**
     * A listener's contract is that it never throws; one that does anyway (a bug in an observer)
     * changes no step's outcome: the measurement is the one a quiet listener gets.
     */
    @Test
    void aThrowingListenerLeavesEveryStepsOutcomeUnchanged() throws Exception {
        List<String> started = new ArrayList<>();
        StepListener broken = new StepListener() {
            @Override
            public void started(StepKind step, String subject) {
                synchronized (started) {
                    started.add(step.label());
                }
                throw new IllegalStateException("a bug in a listener");
            }

            @Override
            public void failed(StepKind step, String subject, String failure, java.time.Duration took) {
                throw new IllegalStateException("another bug in a listener");
            }
        };
        WebMeasurement quiet = measure(StepListener.NONE);
        WebMeasurement noisy = measure(broken);

        assertThat(started).as("the broken listener was called").isNotEmpty();
        assertThat(noisy.observation().dnsExperimentFailure()).isNotNull().isEqualTo(quiet.observation().dnsExperimentFailure());
        assertThat(noisy.observation().httpExperimentFailure()).isEqualTo(quiet.observation().httpExperimentFailure());
        assertThat(noisy.observation().failedOperation()).isEqualTo(quiet.observation().failedOperation());
        assertThat(noisy.observation().queries()).extracting(q -> q.failure())
                .containsExactlyElementsOf(quiet.observation().queries().stream().map(q -> q.failure()).toList());
        assertThat(noisy.verdict().status()).isEqualTo(quiet.verdict().status());
        assertThat(noisy.verdict().explanation()).doesNotContain("unknown_failure");
    }

    private static WebMeasurement measure(StepListener listener) {
        // The resolver is a closed loopback port: nothing leaves the machine, and every query fails the same way.
        EngineConfig config = EngineConfig.defaults().withResolver(ResolverAddress.parse("127.0.0.1:9")).withStepTimeout(Duration.ofSeconds(1))
                .withListener(listener);
        try (WebEngine engine = new WebEngine(config)) {
            return new WebConnectivity(engine, null, Analyzer.standard(Bogons.DEFAULT)).measure(TargetUrl.parse("https://a.example/"));
        }
    }
}
