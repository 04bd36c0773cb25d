package dev.beatline.query.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BucketsTest {

    private static TimeRange range(String from, String to) {
        return TimeRange.parse(from, to, Duration.ofHours(1));
    }

    @Test
    void parsesMinutesHoursAndDays() {
        assertThat(Buckets.parseInterval("1m")).isEqualTo(Duration.ofMinutes(1));
        assertThat(Buckets.parseInterval("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(Buckets.parseInterval("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Buckets.parseInterval("7d")).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void malformedOrZeroIntervalsAreBadRequests() {
        for (String bad : new String[] {"0m", "5", "m", "1s", "1.5h", "-1h", "1w", "999999m"}) {
            assertThatThrownBy(() -> Buckets.parseInterval(bad)).as(bad).isInstanceOf(ApiProblem.class)
                    .hasMessageStartingWith("interval:");
        }
        assertThatThrownBy(() -> Buckets.parseInterval("32d")).isInstanceOf(ApiProblem.class);
    }

    @Test
    void rangeIsWidenedToWholeIntervalsFromTheEpoch() {
        Buckets b = Buckets.of(range("2026-11-22T10:07:30Z", "2026-11-22T12:01:00Z"), "1h");
        assertThat(b.from()).isEqualTo(Instant.parse("2026-11-22T10:00:00Z"));
        assertThat(b.to()).isEqualTo(Instant.parse("2026-11-22T13:00:00Z"));
        assertThat(b.points()).isEqualTo(3);
        assertThat(b.bucket(2)).isEqualTo(Instant.parse("2026-11-22T12:00:00Z"));
        assertThat(b.indexOf(Instant.parse("2026-11-22T11:00:00Z"))).isEqualTo(1);
        assertThat(b.hourAligned()).isTrue();
        assertThat(b.intervalText()).isEqualTo("1h");
    }

    @Test
    void tooManyPointsIsABadRequestThatSaysTheLimit() {
        assertThatThrownBy(() -> Buckets.of(range("2026-11-01T00:00:00Z", "2026-11-22T00:00:00Z"), "1m"))
                .isInstanceOf(ApiProblem.class).hasMessageContaining(String.valueOf(Buckets.MAX_POINTS));
    }

    @Test
    void withoutIntervalTheSmallestStepUnderTheAutoLimitIsChosen() {
        assertThat(Buckets.of(range("2026-11-22T00:00:00Z", "2026-11-22T01:00:00Z"), null).interval())
                .isEqualTo(Duration.ofMinutes(1));
        assertThat(Buckets.of(range("2026-11-21T00:00:00Z", "2026-11-22T00:00:00Z"), null).interval())
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(Buckets.of(range("2026-10-23T00:00:00Z", "2026-11-22T00:00:00Z"), null).interval())
                .isEqualTo(Duration.ofHours(3));
    }
}
