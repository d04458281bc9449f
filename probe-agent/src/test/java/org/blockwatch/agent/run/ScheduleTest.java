package org.blockwatch.agent.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Full sweeps each interval, the fast tier between them. */
class ScheduleTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    private static Instant at(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    @Test
    void aFastTierIsSweptBetweenFullSweeps() {
        Schedule s = new Schedule(Duration.ofMinutes(5), () -> Duration.ofMinutes(60));
        Schedule.Turn t = s.first(T0);
        assertThat(t).isEqualTo(new Schedule.Turn(true, T0));
        t = s.after(t, at(2)); // the full sweep took two minutes
        assertThat(t).isEqualTo(new Schedule.Turn(false, at(7)));
        for (int i = 0; i < 10; i++) t = s.after(t, t.at());
        assertThat(t).isEqualTo(new Schedule.Turn(false, at(57)));
        t = s.after(t, t.at());
        assertThat(t).as("the full sweep is due before the next fast one").isEqualTo(new Schedule.Turn(true, at(62)));
        t = s.after(t, at(63));
        assertThat(t).isEqualTo(new Schedule.Turn(false, at(68)));
    }

    @Test
    void withoutATierEveryTurnIsFull() {
        Duration[] waits = {Duration.ofMinutes(60), Duration.ofMinutes(1)};
        int[] calls = {0};
        Schedule s = new Schedule(null, () -> waits[calls[0]++]);
        Schedule.Turn t = s.first(T0);
        t = s.after(t, at(3));
        assertThat(t).isEqualTo(new Schedule.Turn(true, at(63)));
        t = s.after(t, at(64)); // the network went down: the agent asks for a shorter wait
        assertThat(t).isEqualTo(new Schedule.Turn(true, at(65)));
    }
}
