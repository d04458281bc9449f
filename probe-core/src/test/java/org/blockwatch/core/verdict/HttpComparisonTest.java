package org.blockwatch.core.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HttpComparisonTest {
    @Test
    void aBodyProportionOfExactlyPointSevenDoesNotMatch() {
        Double p = HttpComparison.bodyProportion(700, false, 1000);
        assertThat(p).isEqualTo(0.7);
        assertThat(p > 0.7).isFalse();
        var probe = Observations.response(200, "x".repeat(700), "T", List.of());
        var at = HttpComparison.compare(probe, Observations.control(200, 1000, "T", Map.of()));
        assertThat(at.bodyLengthMatch()).isFalse();
        var above = HttpComparison.compare(probe, Observations.control(200, 999, "T", Map.of()));
        assertThat(above.bodyLengthMatch()).isTrue();
    }

    @Test
    void noBodyProportionWhenTruncatedOrEmpty() {
        assertThat(HttpComparison.bodyProportion(65536, true, 70000)).isNull();
        assertThat(HttpComparison.bodyProportion(0, false, 100)).isNull();
        assertThat(HttpComparison.bodyProportion(100, false, 0)).isNull();
    }

    @Test
    void titleWordsCountUtf8Bytes() {
        // "Азат" is four letters but eight bytes: it counts, and it is missing from the control's title.
        assertThat(HttpComparison.titleMatch("Азат ok", "Other page")).isFalse();
        // "abcd" is four bytes: too short to count, so no word is left to judge by.
        assertThat(HttpComparison.titleMatch("abcd ok", "Other page")).isNull();
        assertThat(HttpComparison.titleMatch("Азаттық Радиосы", "азаттық радиосы - news")).isTrue();
        assertThat(HttpComparison.titleMatch(null, "x")).isNull();
    }

    @Test
    void aControlStatusThatIsNot2xxGivesNoStatusOpinion() {
        assertThat(HttpComparison.statusCodeMatch(200, 503)).isNull();
        assertThat(HttpComparison.statusCodeMatch(403, 301)).isNull();
        assertThat(HttpComparison.statusCodeMatch(200, 200)).isTrue();
        assertThat(HttpComparison.statusCodeMatch(403, 200)).isFalse();
    }

    @Test
    void headersMatchOnUncommonNamesOnly() {
        assertThat(HttpComparison.headersMatch(List.of("Date", "Server", "X-Site-Id"), Set.of("x-site-id", "date"))).isTrue();
        assertThat(HttpComparison.headersMatch(List.of("Date", "X-Blockpage"), Set.of("date", "x-site-id"))).isFalse();
        assertThat(HttpComparison.headersMatch(List.of("Date", "Server"), Set.of("date"))).as("nothing to compare").isNull();
        assertThat(HttpComparison.headersMatch(List.of("Content-Length", "Connection"), Set.of("content-length")))
                .as("framing headers say nothing about the server").isNull();
    }

    @Test
    void noDiffWhenStatusMatchesAndAnythingElseDoes() {
        var probe = Observations.response(200, "<title>Same</title>", "Same title words", List.of());
        assertThat(HttpComparison.compare(probe, Observations.control(200, 100000, "Same title words", Map.of())).sameAsControl()).isTrue();
        assertThat(HttpComparison.compare(probe, Observations.control(404, 19, "Same title words", Map.of())).sameAsControl()).isFalse();
    }
}
