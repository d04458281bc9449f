package org.blockwatch.agent.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The forms --since and --until take (issue 32), in a zone given rather than the machine's. */
class ExportTimeTest {
    private static final ZoneId ALMATY = ZoneId.of("Asia/Almaty"); // UTC+5 since 2024

    @Test
    void withoutAZoneATimeIsTheLocalClock() {
        assertThat(ExportTime.parse("2026-12-07", ALMATY)).isEqualTo(Instant.parse("2026-12-06T19:00:00Z"));
        assertThat(ExportTime.parse("2026-12-07T10:00", ALMATY)).isEqualTo(Instant.parse("2026-12-07T05:00:00Z"));
        assertThat(ExportTime.parse("2026-12-07 10:00", ALMATY)).isEqualTo(Instant.parse("2026-12-07T05:00:00Z"));
        assertThat(ExportTime.parse(" 2026-12-07 10:00:30 ", ALMATY)).isEqualTo(Instant.parse("2026-12-07T05:00:30Z"));
    }

    @Test
    void aZoneGivenWins() {
        assertThat(ExportTime.parse("2026-12-07T10:00:00Z", ALMATY)).isEqualTo(Instant.parse("2026-12-07T10:00:00Z"));
        assertThat(ExportTime.parse("2026-12-07T10:00Z", ALMATY)).isEqualTo(Instant.parse("2026-12-07T10:00:00Z"));
        assertThat(ExportTime.parse("2026-12-07T10:00+03:00", ALMATY)).isEqualTo(Instant.parse("2026-12-07T07:00:00Z"));
        assertThat(ExportTime.parse("2026-12-07T10:00-05:00", ALMATY)).isEqualTo(Instant.parse("2026-12-07T15:00:00Z"));
        assertThat(ExportTime.parse("2026-12-07 10:00+03:00", ALMATY)).isEqualTo(Instant.parse("2026-12-07T07:00:00Z"));
        assertThat(ExportTime.parse("2026-12-07T10:00+03:00[Europe/Moscow]", ALMATY)).isEqualTo(Instant.parse("2026-12-07T07:00:00Z"));
    }

    @Test
    void anythingElseNamesTheForms() {
        for (String bad : new String[] {"", "10:00", "2026-12-32", "2026-12-07T25:00", "07.12.2026", "2026-12-07T10:00+5", "tomorrow"}) {
            assertThatThrownBy(() -> ExportTime.parse(bad, ALMATY)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'").hasMessageContaining(ExportTime.FORMS);
        }
    }
}
