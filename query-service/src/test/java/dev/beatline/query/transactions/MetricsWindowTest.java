package dev.beatline.query.transactions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beatline.query.api.TimeRange;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MetricsWindowTest {

    private static final Instant ALL_ROLLED_UP = Instant.parse("2030-01-01T00:00:00Z");

    private static MetricsWindow window(String from, String to) {
        return MetricsWindow.of(TimeRange.parse(from, to, Duration.ofHours(1)), ALL_ROLLED_UP);
    }

    @Test
    void wholeHoursInsideTheRangeComeFromTheRollupAndTheEdgesFromMinutes() {
        MetricsWindow w = window("2026-11-21T10:07:30Z", "2026-11-22T10:05:10Z");
        assertThat(w.minuteFrom()).isEqualTo(Instant.parse("2026-11-21T10:07:00Z"));
        assertThat(w.hourFrom()).isEqualTo(Instant.parse("2026-11-21T11:00:00Z"));
        assertThat(w.hourTo()).isEqualTo(Instant.parse("2026-11-22T10:00:00Z"));
        assertThat(w.minuteTo()).isEqualTo(Instant.parse("2026-11-22T10:06:00Z"));
        assertThat(w.minutes()).isEqualTo(24 * 60 - 1);
    }

    @Test
    void aRangeWithoutAWholeHourIsAllMinutes() {
        MetricsWindow w = window("2026-11-22T10:10:00Z", "2026-11-22T11:20:00Z");
        assertThat(w.hourFrom()).isEqualTo(w.hourTo()).isEqualTo(w.minuteTo());
        assertThat(w.minuteFrom()).isEqualTo(Instant.parse("2026-11-22T10:10:00Z"));
        assertThat(w.minuteTo()).isEqualTo(Instant.parse("2026-11-22T11:20:00Z"));
    }

    @Test
    void hourAlignedRangeHasNoMinuteEdges() {
        MetricsWindow w = window("2026-11-22T00:00:00Z", "2026-11-22T06:00:00Z");
        assertThat(w.minuteFrom()).isEqualTo(w.hourFrom());
        assertThat(w.hourTo()).isEqualTo(w.minuteTo());
    }

    @Test
    void hoursNotRolledUpYetAreReadAsMinutes() {
        TimeRange range = TimeRange.parse("2026-11-21T10:07:30Z", "2026-11-22T10:05:10Z", Duration.ofHours(1));
        MetricsWindow w = MetricsWindow.of(range, Instant.parse("2026-11-22T08:00:00Z"));
        assertThat(w.hourFrom()).isEqualTo(Instant.parse("2026-11-21T11:00:00Z"));
        assertThat(w.hourTo()).isEqualTo(Instant.parse("2026-11-22T08:00:00Z"));
        assertThat(w.minuteTo()).isEqualTo(Instant.parse("2026-11-22T10:06:00Z"));
        MetricsWindow none = MetricsWindow.of(range, Instant.parse("2026-11-20T00:00:00Z"));
        assertThat(none.hourFrom()).isEqualTo(none.hourTo()).isEqualTo(none.minuteTo());
        assertThat(none.minuteFrom()).isEqualTo(Instant.parse("2026-11-21T10:07:00Z"));
    }
}
