package org.blockwatch.core.apps;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.blockwatch.core.apps.AppControl.Outside;
import org.blockwatch.core.apps.AppVerdict.Finding;
import org.blockwatch.core.verdict.Verdict;
import org.blockwatch.core.verdict.Verdict.Method;
import org.blockwatch.core.verdict.Verdict.Status;
import org.junit.jupiter.api.Test;

/** The rules of evidence an app's verdict follows, whatever the app. */
class AppVerdictTest {
    static Finding part(String what, Method m, Outside outside) {
        return Finding.of(what, m, "some_failure", outside);
    }

    @Test
    void nothingFailingIsAccessible() {
        assertThat(AppVerdict.decide("App", List.of()).status()).isEqualTo(Status.ACCESSIBLE);
    }

    @Test
    void aPartTheControlReachesIsABlockWhoseMethodIsTheFirstConfirmedPart() {
        Verdict v = AppVerdict.decide("App", List.of(part("a", Method.DNS, Outside.UNKNOWN), part("b", Method.TCP_IP, Outside.ANSWERED),
                part("c", Method.TLS, Outside.ANSWERED)));
        assertThat(v.status()).isEqualTo(Status.BLOCKED);
        assertThat(v.method()).isEqualTo(Method.TCP_IP);
        assertThat(v.explanation()).contains("b (some_failure)").contains("c (some_failure)");
    }

    @Test
    void partsFailingForTheControlTooAreDownAndAnyPartTheControlCannotJudgeMakesItInconclusive() {
        assertThat(AppVerdict.decide("App", List.of(part("a", Method.TCP_IP, Outside.FAILED))).status()).isEqualTo(Status.DOWN);
        assertThat(AppVerdict.decide("App", List.of(part("a", Method.TCP_IP, Outside.FAILED), part("b", Method.TLS, Outside.UNKNOWN))).status())
                .isEqualTo(Status.INCONCLUSIVE);
        assertThat(AppVerdict.decide("App", List.of(part("a", Method.TCP_IP, Outside.UNKNOWN))).status()).isEqualTo(Status.INCONCLUSIVE);
    }

    @Test
    void evidenceInItselfNeedsNoControlUnlessTheControlFailedToo() {
        Finding evident = new Finding("an interception", Method.TLS, "ssl_unknown_authority", Outside.UNKNOWN, true, List.of("tls_mitm"));
        Verdict v = AppVerdict.decide("App", List.of(evident));
        assertThat(v.status()).isEqualTo(Status.BLOCKED);
        assertThat(v.flags()).containsExactly("tls_mitm");
        Finding evidentButDown = new Finding("an interception", Method.TLS, "ssl_unknown_authority", Outside.FAILED, true, List.of("tls_mitm"));
        assertThat(AppVerdict.decide("App", List.of(evidentButDown)).status()).isEqualTo(Status.DOWN);
    }
}
