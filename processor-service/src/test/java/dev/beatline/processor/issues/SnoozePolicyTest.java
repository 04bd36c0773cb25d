package dev.beatline.processor.issues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beatline.processor.issues.SnoozePolicy.Observed;
import dev.beatline.processor.issues.SnoozePolicy.Snooze;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SnoozePolicyTest {

    static final Instant IGNORED = Instant.parse("2026-11-20T10:15:30Z");

    static Snooze count(long n, Integer window) {
        return new Snooze(SnoozePolicy.UNTIL_COUNT, IGNORED, null, n, window, null, null, 100, 7, 4, null);
    }

    static Snooze users(long n, Integer window) {
        return new Snooze(SnoozePolicy.UNTIL_USERS, IGNORED, null, null, null, n, window, 100, 7, 4, null);
    }

    static Snooze escalating(double hourlyAverage) {
        return new Snooze(SnoozePolicy.UNTIL_ESCALATING, IGNORED, null, null, null, null, null, 100, 7, 4,
                hourlyAverage);
    }

    static Observed counted(long timesSeen, long users) {
        return new Observed(timesSeen, users, 0, 0, IGNORED.plusSeconds(60));
    }

    @Test
    void untilCountWithoutWindowIsMetAtTheNthEventSinceTheIgnoreNotBefore() {
        Snooze s = count(5, null);
        assertThat(SnoozePolicy.isMet(s, counted(104, 7))).isFalse();
        assertThat(SnoozePolicy.isMet(s, counted(105, 7))).isTrue();
        assertThat(SnoozePolicy.isMet(s, counted(190, 7))).isTrue();
    }

    @Test
    void reachingEventIsThePositionOfTheNthEventInTheBatch() {
        Snooze s = count(5, null); // times_seen 100 at the ignore: the 105th event reaches it
        assertThat(SnoozePolicy.reachingEvent(s, 102, 4)).isEqualTo(3);
        assertThat(SnoozePolicy.reachingEvent(s, 100, 5)).isEqualTo(5);
        assertThat(SnoozePolicy.reachingEvent(s, 100, 4)).isEqualTo(-1);
        assertThat(SnoozePolicy.reachingEvent(s, 105, 2)).isEqualTo(-1); // reached by an earlier batch
    }

    @Test
    void untilCountWithWindowCountsWindowEventsOnly() {
        Snooze s = count(3, 10);
        assertThat(s.eventWindowMinutes()).isEqualTo(10);
        assertThat(SnoozePolicy.isMet(s, new Observed(500, 7, 2, 0, IGNORED))).isFalse();
        assertThat(SnoozePolicy.isMet(s, new Observed(101, 7, 3, 0, IGNORED))).isTrue();
    }

    @Test
    void eventWindowStartsNoEarlierThanTheIgnoreMinuteWhoseEarlierEventsAreSubtracted() {
        Snooze s = count(3, 10);
        Instant ignoreMinute = Instant.parse("2026-11-20T10:15:00Z");
        // window of 10 minutes ending at 10:20:xx would start at 10:11, before the ignore: starts at 10:15
        Instant start = SnoozePolicy.windowStart(s, Instant.parse("2026-11-20T10:20:59Z"), 10);
        assertThat(start).isEqualTo(ignoreMinute);
        assertThat(SnoozePolicy.eventsSinceIgnore(s, start, 9)).isEqualTo(5); // 4 of the ignore minute came before
        // later the window has moved past the ignore minute: nothing to subtract
        Instant later = SnoozePolicy.windowStart(s, Instant.parse("2026-11-20T10:40:10Z"), 10);
        assertThat(later).isEqualTo(Instant.parse("2026-11-20T10:31:00Z"));
        assertThat(SnoozePolicy.eventsSinceIgnore(s, later, 9)).isEqualTo(9);
    }

    @Test
    void untilUsersCountsNewUsersOrUsersInTheWindow() {
        Snooze total = users(2, null);
        assertThat(total.userWindowMinutesOrZero()).isZero();
        assertThat(SnoozePolicy.isMet(total, counted(300, 8))).isFalse();
        assertThat(SnoozePolicy.isMet(total, counted(300, 9))).isTrue();
        Snooze windowed = users(2, 30);
        assertThat(windowed.userWindowMinutesOrZero()).isEqualTo(30);
        assertThat(SnoozePolicy.isMet(windowed, new Observed(300, 50, 0, 1, IGNORED))).isFalse();
        assertThat(SnoozePolicy.isMet(windowed, new Observed(300, 7, 0, 2, IGNORED))).isTrue();
        assertThat(SnoozePolicy.userWindowStart(Instant.parse("2026-11-20T11:00:00Z"), 30))
                .isEqualTo(Instant.parse("2026-11-20T10:30:00Z"));
    }

    @Test
    void forMinutesIsMetWhenUntilIsReached() {
        Instant until = IGNORED.plusSeconds(600);
        Snooze s = new Snooze(SnoozePolicy.FOR_MINUTES, IGNORED, until, null, null, null, null, 100, 7, 4, null);
        assertThat(s.eventWindowMinutes()).isZero();
        assertThat(SnoozePolicy.isMet(s, new Observed(1000, 1000, 0, 0, until.minusMillis(1)))).isFalse();
        assertThat(SnoozePolicy.isMet(s, new Observed(100, 7, 0, 0, until))).isTrue();
    }

    @Test
    void escalationNeedsMoreThanTenTimesTheHourlyAverageAndAtLeastElevenEvents() {
        assertThat(SnoozePolicy.escalationThreshold(0)).isEqualTo(10);
        assertThat(SnoozePolicy.escalationThreshold(0.5)).isEqualTo(10);
        assertThat(SnoozePolicy.escalationThreshold(30)).isEqualTo(300);
        Snooze quiet = escalating(0.2);
        assertThat(quiet.eventWindowMinutes()).isEqualTo(60);
        assertThat(SnoozePolicy.isMet(quiet, new Observed(1000, 7, 10, 0, IGNORED))).isFalse();
        assertThat(SnoozePolicy.isMet(quiet, new Observed(1000, 7, 11, 0, IGNORED))).isTrue();
        Snooze busy = escalating(30);
        assertThat(SnoozePolicy.isMet(busy, new Observed(1000, 7, 300, 0, IGNORED))).isFalse();
        assertThat(SnoozePolicy.isMet(busy, new Observed(1000, 7, 301, 0, IGNORED))).isTrue();
    }

    @Test
    void unknownConditionIsRefused() {
        Snooze odd = new Snooze("someday", IGNORED, null, null, null, null, null, 0, 0, 0, null);
        assertThatThrownBy(() -> SnoozePolicy.isMet(odd, counted(1, 1))).isInstanceOf(IllegalArgumentException.class);
    }
}
