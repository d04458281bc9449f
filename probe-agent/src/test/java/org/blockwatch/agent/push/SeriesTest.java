package org.blockwatch.agent.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeriesTest {

    @Test
    void anExpositionBecomesSeriesWithTheirNameAsALabelAndEscapesUndone() {
        List<Series> s = Series.parse("""
                # HELP blockwatch_target_state 1, labelled
                # TYPE blockwatch_target_state gauge
                blockwatch_target_state{category="NEWS",method="none",state="accessible",target="https://a.example/?q=\\"x\\"\\\\n"} 1
                blockwatch_network_online 1.0
                blockwatch_step_duration_seconds_bucket{step="dns",le="+Inf"} 3
                blockwatch_sweep_duration_seconds NaN
                process_start_time_seconds 1.79617396412E9
                """);
        assertThat(s).hasSize(5);
        assertThat(s.getFirst().labels()).containsExactly(Map.entry("__name__", "blockwatch_target_state"), Map.entry("category", "NEWS"),
                Map.entry("method", "none"), Map.entry("state", "accessible"), Map.entry("target", "https://a.example/?q=\"x\"\\n"));
        assertThat(s.get(1).labels()).containsExactly(Map.entry("__name__", "blockwatch_network_online"));
        assertThat(s.get(2).labels()).containsEntry("le", "+Inf");
        assertThat(s.get(3).value()).isNaN();
        assertThat(s.get(4).value()).isEqualTo(1.79617396412E9);
    }

    @Test
    void addedLabelsNeverReplaceASeriesOwn() {
        Series s = Series.parse("blockwatch_probe_info{asn=\"AS9198\",cc=\"KZ\",network=\"home\"} 1").getFirst();
        assertThat(s.with(Map.of("asn", "AS1", "instance", "p1")).labels()).containsEntry("asn", "AS9198").containsEntry("instance", "p1");
    }
}
