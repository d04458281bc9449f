package org.blockwatch.core.verdict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.blockwatch.core.verdict.Verdict.Method;
import org.blockwatch.core.verdict.Verdict.Status;
import org.junit.jupiter.api.Test;

class EvidenceTest {
    private static Verdict blocked(Method m, String... flags) {
        return new Verdict(Status.BLOCKED, m, List.of(flags), "x");
    }

    @Test
    void aFailureThatGotFurtherBeatsAnEarlierOne() {
        // The case: a throttled page cut short, then a connect that timed out on the full line.
        assertThat(Evidence.stronger(blocked(Method.HTTP_FAILURE), blocked(Method.TCP_IP))).isTrue();
        assertThat(Evidence.stronger(blocked(Method.TCP_IP), blocked(Method.HTTP_FAILURE))).isFalse();
        // A flaky censor: a dropped SYN one time, a reset ClientHello the next.
        assertThat(Evidence.stronger(blocked(Method.TLS), blocked(Method.TCP_IP))).isTrue();
    }

    @Test
    void contentComparedBeatsAFailure() {
        assertThat(Evidence.stronger(blocked(Method.HTTP_DIFF), blocked(Method.HTTP_FAILURE))).isTrue();
        assertThat(Evidence.stronger(blocked(Method.DNS), blocked(Method.TLS))).isTrue();
    }

    @Test
    void aSignatureBeatsAnyMethodWithout() {
        assertThat(Evidence.stronger(blocked(Method.TLS, "tls_mitm", "tls_mitm_government_root"), blocked(Method.HTTP_DIFF))).isTrue();
        assertThat(Evidence.stronger(blocked(Method.TCP_IP, "blockpage:kz_dpi"), blocked(Method.HTTP_DIFF))).isTrue();
    }

    @Test
    void aSlowTransferIsAHintNotASignature() {
        assertThat(Evidence.stronger(blocked(Method.TCP_IP, "throttled"), blocked(Method.TLS))).isFalse();
    }

    @Test
    void equalEvidenceIsNotStronger() {
        assertThat(Evidence.stronger(blocked(Method.TLS), blocked(Method.TLS))).isFalse();
    }

    @Test
    void onlyBlockedVerdictsAreCompared() {
        assertThatThrownBy(() -> Evidence.stronger(new Verdict(Status.DOWN, null, List.of(), "x"), blocked(Method.TLS)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("down");
    }
}
