package org.blockwatch.agent.metrics;

import org.blockwatch.core.verdict.Verdict.Method;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.blockwatch.core.archival.WebObservation;
import org.blockwatch.core.control.wire.ControlResult;
import org.blockwatch.core.measurement.Measurement;
import org.blockwatch.core.verdict.Analysis;
import org.blockwatch.core.verdict.Verdict;
import org.blockwatch.core.verdict.Verdict.Status;
import org.junit.jupiter.api.Test;
import org.blockwatch.core.step.StepKind;

/** The per-target series, read back from the exposition. */
class AgentMetricsTest {
    private static final String TARGET = "https://news.example/";

    private static Measurement measurement(List<String> flags) {
        WebObservation o = new WebObservation(TARGET, TARGET, Instant.now(), 0.1, "127.0.0.1:53", List.of(), List.of(), null,
                List.of(), List.of(), List.of(), null, null, List.of(), List.of());
        Verdict v = new Verdict(Status.BLOCKED, Method.TLS, flags, "test");
        return new Measurement(o, ControlResult.none("generic_timeout_error"), new Analysis("consistent", null, v));
    }

    private static String flag(String flag, int value) {
        return "blockwatch_target_flag{category=\"NEWS\",flag=\"" + flag + "\",target=\"" + TARGET + "\"} " + value;
    }

    @Test
    void theFlagsOfTheLastMeasurementAreAStateSetPerTarget() {
        try (AgentMetrics metrics = new AgentMetrics("test", "AS0", "ZZ", "test")) {
            metrics.measured(TARGET, "NEWS", measurement(List.of("tls_mitm", "tls_mitm_government_root", "blockpage:ooni.kg_0")), Instant.now());
            assertThat(metrics.scrape()).contains(flag("tls_mitm", 1), flag("tls_mitm_government_root", 1), flag("blockpage", 1),
                    flag("throttled", 0), flag("dns_bogon", 0), flag("dns_injected", 0));
            assertThat(metrics.scrape()).contains("blockwatch_flags_total{flag=\"blockpage\"} 1");

            // The next measurement carries no flag: every series of the target stays, at 0.
            metrics.measured(TARGET, "NEWS", measurement(List.of()), Instant.now());
            assertThat(metrics.scrape()).contains(flag("tls_mitm", 0), flag("tls_mitm_government_root", 0), flag("blockpage", 0));
            assertThat(metrics.scrape()).containsPattern("# HELP blockwatch_target_flag .+");
        }
    }

    @Test
    void stepDurationsComeFromTheStepListenerAsStepsEnd() {
        try (AgentMetrics metrics = new AgentMetrics("test", "AS0", "ZZ", "test")) {
            metrics.steps().succeeded(StepKind.TLS_HANDSHAKE, "127.0.0.1:443", java.time.Duration.ofMillis(40));
            metrics.steps().failed(StepKind.TLS_HANDSHAKE, "127.0.0.1:443", "connection_reset", java.time.Duration.ofMillis(5));
            metrics.steps().failed(StepKind.DNS, "site.example", "dns_nxdomain_error", java.time.Duration.ofMillis(3));
            assertThat(metrics.scrape()).contains("blockwatch_step_duration_seconds_count{step=\"tls_handshake\"} 2",
                    "blockwatch_step_duration_seconds_count{step=\"dns\"} 1", "blockwatch_step_duration_seconds_count{step=\"tcp_connect\"} 0");
        }
    }

    @Test
    void theNetworksStateIsAStateSetBesideOnline() {
        try (AgentMetrics metrics = new AgentMetrics("test", "AS0", "ZZ", "test")) {
            assertThat(metrics.scrape()).contains("blockwatch_network_state{state=\"online\"} 1", "blockwatch_network_state{state=\"restricted\"} 0");
            metrics.network(org.blockwatch.agent.store.NetworkState.RESTRICTED);
            assertThat(metrics.scrape()).contains("blockwatch_network_state{state=\"restricted\"} 1", "blockwatch_network_state{state=\"online\"} 0",
                    "blockwatch_network_online 1");
            metrics.network(org.blockwatch.agent.store.NetworkState.OFFLINE);
            assertThat(metrics.scrape()).contains("blockwatch_network_state{state=\"offline\"} 1", "blockwatch_network_online 0");
        }
    }
}
