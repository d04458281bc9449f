package org.blockwatch.agent.schedule;

import org.blockwatch.core.webconnectivity.WebConnectivity;
import org.blockwatch.core.webconnectivity.WebMeasurement;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.blockwatch.agent.store.NetworkState;
import org.blockwatch.agent.targets.Target;
import org.blockwatch.core.archival.TcpConnect;
import org.blockwatch.core.archival.WebObservation;
import org.blockwatch.core.control.wire.ControlResponse;
import org.blockwatch.core.control.wire.ControlResult;
import org.blockwatch.core.engine.TargetUrl;
import org.blockwatch.core.nettest.Measurement;
import org.blockwatch.core.verdict.Analysis;
import org.blockwatch.core.verdict.Verdict;
import org.blockwatch.core.verdict.Verdict.Status;
import org.junit.jupiter.api.Test;

/** What a sweep says of the probe's own network: online, offline, or restricted to domestic sites. */
class NetworkStateTest {
    private static Outcome outcome(String url, boolean domestic, boolean answered) {
        Target target = new Target(TargetUrl.parse(url), "NEWS", "News", "test", domestic);
        List<TcpConnect> connects = List.of(new TcpConnect("198.18.0.9", 443, new TcpConnect.Status(answered, answered ? null : "generic_timeout_error", null),
                0, 1, 1));
        WebObservation o = new WebObservation(url, url, Instant.EPOCH, 1, "", List.of(), List.of(), null, connects, List.of(), List.of(),
                answered ? null : "generic_timeout_error", null, List.of(), List.of());
        ControlResult control = answered && !domestic
                ? new ControlResult(new ControlResponse(new ControlResponse.Dns(null, List.of()), Map.of(), Map.of(), null, Map.of()), null, "h")
                : ControlResult.none("generic_timeout_error");
        return new Outcome(target, WebConnectivity.measurement(o, control, new Analysis(null, null, new Verdict(Status.INCONCLUSIVE, null, List.of(), "x"))),
                1L, false);
    }

    @Test
    void nothingAnsweringIsOffline() {
        assertThat(Sweeper.networkOf(List.of(outcome("https://a.example/", false, false), outcome("https://kaspi.kz/", true, false))))
                .isEqualTo(NetworkState.OFFLINE);
    }

    @Test
    void onlyDomesticSitesAnsweringIsRestricted() {
        assertThat(Sweeper.networkOf(List.of(outcome("https://a.example/", false, false), outcome("https://b.example/", false, false),
                outcome("https://kaspi.kz/", true, true)))).isEqualTo(NetworkState.RESTRICTED);
    }

    @Test
    void theCensorsOwnServersStillAnsweringForAFewNamesIsStillRestricted() {
        // A blockpage or a proxy inside the country answers for a diverted name: it connects, without the control.
        Outcome diverted = outcome("https://blocked.example/", false, false);
        Outcome censorServed = new Outcome(diverted.target(), WebConnectivity.measurement(
                ((WebMeasurement) outcome("https://c.example/", false, true).measurement().result()).observation(),
                ControlResult.none("generic_timeout_error"), ((WebMeasurement) diverted.measurement().result()).analysis()), 1L, false);
        assertThat(Sweeper.networkOf(List.of(censorServed, outcome("https://a.example/", false, false), outcome("https://b.example/", false, false),
                outcome("https://kaspi.kz/", true, true)))).isEqualTo(NetworkState.RESTRICTED);
    }

    @Test
    void aForeignSiteAnsweringIsOnlineWhateverElseFails() {
        assertThat(Sweeper.networkOf(List.of(outcome("https://a.example/", false, true), outcome("https://b.example/", false, false),
                outcome("https://kaspi.kz/", true, true)))).isEqualTo(NetworkState.ONLINE);
        // Without domestic baselines in the list, foreign failures are judged one by one, as before.
        assertThat(Sweeper.networkOf(List.of(outcome("https://a.example/", false, false), outcome("https://b.example/", false, true))))
                .isEqualTo(NetworkState.ONLINE);
    }
}
