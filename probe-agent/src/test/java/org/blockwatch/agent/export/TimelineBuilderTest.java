package org.blockwatch.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Golden cases of the timeline rules, written as text: each input line is "minute state [method]"
 * of one target on one network; each output line "state method start-end count first-last" (minutes).
 */
class TimelineBuilderTest {
    private static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z");

    private static List<String> timeline(String... lines) {
        List<String> out = new ArrayList<>();
        TimelineBuilder b = new TimelineBuilder(Duration.ofHours(3), r -> out.add(String.format("%s %s %d-%d %d %s-%s", r.state(),
                r.method() == null ? "-" : r.method(), Duration.between(T0, r.start()).toMinutes(), Duration.between(T0, r.end()).toMinutes(),
                r.measurements(), r.firstMeasurementUid(), r.lastMeasurementUid())));
        int id = 1;
        for (String line : lines) {
            String[] f = line.split(" ");
            String[] series = f.length > 3 ? f[3].split("\\|") : new String[] {"AS1", "KZ", "https://a.example/"};
            b.add(new TimelinePoint(series[0], series[1], series[2], "NEWS", f[1], f.length > 2 && !f[2].equals("-") ? f[2] : null,
                    T0.plus(Duration.ofMinutes(Long.parseLong(f[0]))), Integer.toString(id++)));
        }
        b.finish();
        return out;
    }

    @Test
    void aConfirmedChangeEndsOneIntervalAndStartsTheNextAtItsFirstMeasurement() {
        assertThat(timeline("0 accessible", "60 accessible", "120 blocked tls", "121 blocked tls", "180 blocked tls", "240 accessible",
                "241 accessible")).containsExactly(
                "accessible - 0-60 2 1-2",
                "blocked tls 120-180 3 3-5",
                "accessible - 240-241 2 6-7");
    }

    @Test
    void aLoneDeviationIsNotAnIntervalAndDoesNotSplitOne() {
        assertThat(timeline("0 accessible", "60 accessible", "120 blocked tls", "121 accessible", "180 accessible"))
                .containsExactly("accessible - 0-180 4 1-5");
    }

    @Test
    void anUnconfirmedLastMeasurementMakesNoInterval() {
        assertThat(timeline("0 accessible", "60 accessible", "120 blocked dns")).containsExactly("accessible - 0-60 2 1-2");
        assertThat(timeline("0 blocked dns")).isEmpty();
    }

    @Test
    void aGapIsNotStretchedIntoAState() {
        // The agent was off from 60 to 600 minutes: two intervals, nothing claimed between them.
        assertThat(timeline("0 blocked tls", "1 blocked tls", "60 blocked tls", "600 blocked tls", "660 blocked tls"))
                .containsExactly("blocked tls 0-60 3 1-3", "blocked tls 600-660 2 4-5");
        // A change seen once before a gap and once after it is confirmed by neither.
        assertThat(timeline("0 accessible", "1 accessible", "60 blocked tls", "600 blocked tls", "660 accessible", "661 accessible"))
                .containsExactly("accessible - 0-1 2 1-2", "accessible - 660-661 2 5-6");
    }

    @Test
    void aBreakEndsTheIntervalAndDropsTheCandidate() {
        List<String> rows = new ArrayList<>();
        TimelineBuilder b = new TimelineBuilder(Duration.ofHours(3), r -> rows.add(r.state() + " " + r.measurements()));
        String t = "https://a.example/";
        b.add(new TimelinePoint("AS1", "KZ", t, "NEWS", "blocked", "tls", T0, "1"));
        b.add(new TimelinePoint("AS1", "KZ", t, "NEWS", "blocked", "tls", T0.plusSeconds(60), "2"));
        b.add(new TimelinePoint("AS1", "KZ", t, "NEWS", "accessible", null, T0.plusSeconds(120), "3"));
        b.add(TimelinePoint.breakIn("AS1", "KZ", t, T0.plusSeconds(180)));
        b.add(new TimelinePoint("AS1", "KZ", t, "NEWS", "accessible", null, T0.plusSeconds(240), "5"));
        b.add(new TimelinePoint("AS1", "KZ", t, "NEWS", "blocked", "tls", T0.plusSeconds(300), "6"));
        b.add(new TimelinePoint("AS1", "KZ", t, "NEWS", "blocked", "tls", T0.plusSeconds(360), "7"));
        b.finish();
        assertThat(rows).containsExactly("blocked 2", "blocked 2");
    }

    @Test
    void anotherMethodIsAnotherInterval() {
        assertThat(timeline("0 blocked dns", "1 blocked dns", "60 blocked tls", "61 blocked tls"))
                .containsExactly("blocked dns 0-1 2 1-2", "blocked tls 60-61 2 3-4");
    }

    @Test
    void eachNetworkAndTargetHasItsOwnTimeline() {
        assertThat(timeline("0 blocked tls AS1|KZ|https://a.example/", "1 blocked tls AS1|KZ|https://a.example/",
                "0 accessible - AS1|KZ|https://b.example/", "1 accessible - AS1|KZ|https://b.example/",
                "0 accessible - AS2|KZ|https://a.example/", "60 blocked tls AS2|KZ|https://a.example/"))
                .containsExactly("blocked tls 0-1 2 1-2", "accessible - 0-1 2 3-4");
    }

    /** Rows of one target's points given as (minute, state, method, flags); uids are "u" + minute. */
    private static List<TimelineRow> rows(Object[]... points) {
        List<TimelineRow> out = new ArrayList<>();
        TimelineBuilder b = new TimelineBuilder(Duration.ofHours(3), out::add);
        for (Object[] p : points) {
            int minute = (Integer) p[0];
            b.add(new TimelinePoint("AS9198", "KZ", "https://news.example/", "NEWS", (String) p[1], (String) p[2], T0.plus(Duration.ofMinutes(minute)),
                    "u" + minute, "JSC Kazakhtelecom", List.of(((String) p[3]).split(" ")).stream().filter(f -> !f.isEmpty()).toList()));
        }
        b.finish();
        return out;
    }

    @Test
    void aRowCarriesItsEvidenceAndTheLastMeasurementOfTheStateBeforeIt() {
        List<TimelineRow> rows = rows(new Object[] {0, "accessible", null, ""}, new Object[] {1, "accessible", null, ""},
                new Object[] {2, "blocked", "tls", "tls_mitm tls_mitm_government_root"}, // a lone deviation: in no row, its flags in none
                new Object[] {3, "accessible", null, ""},
                new Object[] {64, "blocked", "http-diff", "blockpage:kz-gov"}, new Object[] {65, "blocked", "http-diff", "blockpage:kz-gov"},
                new Object[] {120, "blocked", "http-diff", "blockpage:kz-gov throttled"});
        assertThat(rows).hasSize(2);
        TimelineRow accessible = rows.get(0);
        assertThat(accessible.firstMeasurementUid()).isEqualTo("u0");
        assertThat(accessible.lastMeasurementUid()).isEqualTo("u3");
        assertThat(accessible.flags()).isEmpty();
        assertThat(accessible.previous()).isNull();
        assertThat(accessible.networkNames()).containsExactly("JSC Kazakhtelecom");
        TimelineRow blocked = rows.get(1);
        assertThat(blocked.flags()).containsExactly("blockpage:kz-gov", "throttled");
        // The change happened after minute 3 (the last accessible measurement) and by minute 64: both named.
        assertThat(blocked.previous()).isEqualTo(new TimelineRow.Previous("accessible", null, T0.plus(Duration.ofMinutes(3)), "u3"));
        assertThat(blocked.start()).isEqualTo(T0.plus(Duration.ofMinutes(64)));
        assertThat(blocked.firstMeasurementUid()).isEqualTo("u64");
        assertThat(blocked.lastMeasurementUid()).isEqualTo("u120");
    }

    @Test
    void theBoundsHoldAcrossAGapAndABreakButNotAcrossSeries() {
        List<TimelineRow> out = new ArrayList<>();
        TimelineBuilder b = new TimelineBuilder(Duration.ofHours(3), out::add);
        String t = "https://a.example/";
        b.add(new TimelinePoint("AS1", "KZ", t, "NEWS", "accessible", null, T0, "1"));
        b.add(new TimelinePoint("AS1", "KZ", t, "NEWS", "accessible", null, T0.plusSeconds(60), "2"));
        b.add(TimelinePoint.breakIn("AS1", "KZ", t, T0.plusSeconds(120)));
        b.add(new TimelinePoint("AS1", "KZ", t, "NEWS", "blocked", "dns", T0.plusSeconds(180), "4"));
        b.add(new TimelinePoint("AS1", "KZ", t, "NEWS", "blocked", "dns", T0.plusSeconds(240), "5"));
        b.add(new TimelinePoint("AS1", "KZ", t, "NEWS", "blocked", "dns", T0.plus(Duration.ofHours(5)), "6"));
        b.add(new TimelinePoint("AS1", "KZ", t, "NEWS", "blocked", "dns", T0.plus(Duration.ofHours(5)).plusSeconds(60), "7"));
        b.add(new TimelinePoint("AS2", "KZ", t, "NEWS", "blocked", "dns", T0.plus(Duration.ofHours(6)), "8"));
        b.add(new TimelinePoint("AS2", "KZ", t, "NEWS", "blocked", "dns", T0.plus(Duration.ofHours(6)).plusSeconds(60), "9"));
        b.finish();
        assertThat(out).extracting(r -> r.previous() == null ? "-" : r.previous().uid() + " " + r.previous().state())
                .containsExactly("-", "2 accessible", "5 blocked", "-");
    }
}
