package org.blockwatch.agent.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class QuietHoursTest {
    private static final ZoneId ALMATY = ZoneId.of("Asia/Almaty"); // UTC+5

    @Test
    void anEveningWindowHoldsInsideItAndEndsWhenItSays() {
        QuietHours q = QuietHours.parse("18:00-23:00");
        assertThat(q.endIfInside(Instant.parse("2026-12-02T12:59:00Z"), ALMATY)).isEmpty(); // 17:59 local
        assertThat(q.endIfInside(Instant.parse("2026-12-02T13:00:00Z"), ALMATY)).contains(Instant.parse("2026-12-02T18:00:00Z"));
        assertThat(q.endIfInside(Instant.parse("2026-12-02T17:59:00Z"), ALMATY)).contains(Instant.parse("2026-12-02T18:00:00Z"));
        assertThat(q.endIfInside(Instant.parse("2026-12-02T18:00:00Z"), ALMATY)).isEmpty(); // 23:00 local: over
    }

    @Test
    void aNightWindowCrossesMidnight() {
        QuietHours q = QuietHours.parse("22:00-06:00");
        assertThat(q.endIfInside(Instant.parse("2026-12-02T18:30:00Z"), ALMATY)).contains(Instant.parse("2026-12-03T01:00:00Z")); // 23:30
        assertThat(q.endIfInside(Instant.parse("2026-12-02T20:00:00Z"), ALMATY)).contains(Instant.parse("2026-12-03T01:00:00Z")); // 01:00
        assertThat(q.endIfInside(Instant.parse("2026-12-02T06:00:00Z"), ALMATY)).isEmpty(); // 11:00
    }

    @Test
    void badWindowsAreRefusedAndEmptyIsNone() {
        assertThat(QuietHours.parse("").none()).isTrue();
        assertThat(QuietHours.parse("").endIfInside(Instant.now(), ALMATY)).isEmpty();
        for (String bad : new String[] {"18:00", "6pm-11pm", "25:00-26:00", "18:00-18:00", "18:00-23:00-01:00"}) {
            assertThatThrownBy(() -> QuietHours.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad);
        }
    }
}
