package org.blockwatch.agent.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.blockwatch.core.nettest.Speed;
import org.junit.jupiter.api.Test;

/** A target slower than its own history while the sweep's baselines are not: the rule's edges. */
class SpeedTrendTest {
    private static final String SITE = "https://news.example/";
    private static final String BASE = "https://kaspi.kz/";

    private static Speed handshake(double seconds) {
        return new Speed(seconds, null);
    }

    private static Speed rate(double bytesPerSecond) {
        return new Speed(null, bytesPerSecond);
    }

    /** {@code usual} values, then {@code recent} ones, of a target. */
    private static void history(SpeedTrend trend, String target, int usualCount, Speed usual, Speed... recent) {
        for (int i = 0; i < usualCount; i++) trend.record(target, usual);
        for (Speed s : recent) trend.record(target, s);
    }

    private static Map<String, SpeedTrend.Slowdown> judge(SpeedTrend trend) {
        return trend.slower(List.of(SITE, BASE), BASE::equals);
    }

    @Test
    void threeHandshakesFourTimesTheUsualWhileTheBaselineIsAsUsualAreSlower() {
        SpeedTrend trend = new SpeedTrend();
        history(trend, SITE, 8, handshake(0.05), handshake(0.5), handshake(0.6), handshake(0.45));
        history(trend, BASE, 10, handshake(0.04));
        Map<String, SpeedTrend.Slowdown> slow = judge(trend);
        assertThat(slow).containsOnlyKeys(SITE);
        assertThat(slow.get(SITE).measure()).isEqualTo("TLS handshake");
        assertThat(slow.get(SITE).recent()).isEqualTo(0.45);
        assertThat(slow.get(SITE).usual()).isEqualTo(0.05);
        assertThat(slow.get(SITE).explanation()).contains("TLS handshake 0.45 s", "9.0 times slower than its usual 0.05 s");
    }

    @Test
    void oneFastMeasurementAmongTheLastThreeIsNotSustained() {
        SpeedTrend trend = new SpeedTrend();
        history(trend, SITE, 8, handshake(0.05), handshake(0.5), handshake(0.05), handshake(0.5));
        history(trend, BASE, 10, handshake(0.04));
        assertThat(judge(trend)).isEmpty();
    }

    @Test
    void underFourTimesOrUnderAQuarterSecondMoreIsNotSlower() {
        SpeedTrend under = new SpeedTrend();
        history(under, SITE, 8, handshake(0.1), handshake(0.39), handshake(0.39), handshake(0.39));
        history(under, BASE, 10, handshake(0.04));
        assertThat(judge(under)).isEmpty();
        // Four times 20 ms is still fast: a rise of 60 ms is jitter, not throttling.
        SpeedTrend tiny = new SpeedTrend();
        history(tiny, SITE, 8, handshake(0.02), handshake(0.08), handshake(0.09), handshake(0.1));
        history(tiny, BASE, 10, handshake(0.04));
        assertThat(judge(tiny)).isEmpty();
    }

    @Test
    void aBaselineSlowerToo_isTheVolunteersLineNotTheSite() {
        SpeedTrend trend = new SpeedTrend();
        history(trend, SITE, 8, handshake(0.05), handshake(0.5), handshake(0.6), handshake(0.45));
        history(trend, BASE, 10, handshake(0.04), handshake(0.2));
        assertThat(judge(trend)).isEmpty();
    }

    @Test
    void tooLittleHistorySaysNothing() {
        SpeedTrend trend = new SpeedTrend();
        history(trend, SITE, SpeedTrend.MIN_USUAL - 1, handshake(0.05), handshake(0.5), handshake(0.6), handshake(0.45));
        history(trend, BASE, 10, handshake(0.04));
        assertThat(judge(trend)).isEmpty();
    }

    @Test
    void aTransferRateAQuarterOfTheUsualIsSlower() {
        SpeedTrend trend = new SpeedTrend();
        history(trend, SITE, 8, rate(1_000_000), rate(200_000), rate(250_000), rate(150_000));
        history(trend, BASE, 10, rate(900_000));
        Map<String, SpeedTrend.Slowdown> slow = judge(trend);
        assertThat(slow).containsOnlyKeys(SITE);
        assertThat(slow.get(SITE).measure()).isEqualTo("transfer rate");
        assertThat(slow.get(SITE).factor()).isEqualTo(4.0);
        SpeedTrend third = new SpeedTrend();
        history(third, SITE, 8, rate(1_000_000), rate(300_000), rate(300_000), rate(300_000));
        history(third, BASE, 10, rate(900_000));
        assertThat(judge(third)).isEmpty();
    }

    @Test
    void withoutBaselinesInTheSweepTheOtherTargetsServe() {
        SpeedTrend trend = new SpeedTrend();
        history(trend, SITE, 8, handshake(0.05), handshake(0.5), handshake(0.6), handshake(0.45));
        for (String other : List.of("https://a.example/", "https://b.example/")) history(trend, other, 10, handshake(0.05), handshake(0.3));
        // Every other target of the sweep is slower too: the line, not the site.
        assertThat(trend.slower(List.of(SITE, "https://a.example/", "https://b.example/"), t -> false)).isEmpty();
        history(trend, "https://c.example/", 10, handshake(0.05));
        history(trend, "https://d.example/", 10, handshake(0.05));
        history(trend, "https://e.example/", 10, handshake(0.05));
        assertThat(trend.slower(List.of(SITE, "https://a.example/", "https://b.example/", "https://c.example/", "https://d.example/",
                "https://e.example/"), t -> false).keySet()).isEqualTo(Set.of(SITE));
    }

    @Test
    void historyRestoredFromAnEarlierRunCounts() {
        SpeedTrend trend = new SpeedTrend();
        trend.restore(Map.of(SITE, List.of(handshake(0.05), handshake(0.05), handshake(0.05), handshake(0.05), handshake(0.05),
                handshake(0.5), handshake(0.5))));
        history(trend, BASE, 10, handshake(0.04));
        assertThat(judge(trend)).isEmpty();
        trend.record(SITE, handshake(0.5));
        assertThat(judge(trend)).containsOnlyKeys(SITE);
    }
}
