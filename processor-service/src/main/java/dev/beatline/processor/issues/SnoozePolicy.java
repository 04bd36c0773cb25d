package dev.beatline.processor.issues;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * When an issue ignored with a condition (a row of {@code issue_snoozes}, V610) is reopened. Pure: the writer
 * and the expiry job read the counts, this decides. Everything counted starts at the ignore (see the V610 header):
 * <ul>
 * <li>{@code for_minutes}: met once {@code now} reaches {@code until};</li>
 * <li>{@code until_count}: {@code eventCount} events since the ignore, in total or within the window;</li>
 * <li>{@code until_users}: {@code userCount} new users since the ignore, or distinct users within the window;</li>
 * <li>{@code until_escalating}: the events since the ignore in the last {@link #ESCALATION_WINDOW_MINUTES} minutes
 * exceed {@link #escalationThreshold(double)} = max(10, 10 × the hourly average of the 7 days before the ignore).
 * Deterministic and cheap (Sentry forecasts a weekly ceiling instead); steady traffic never escalates, a burst
 * of ten times the usual rate within an hour does.</li>
 * </ul>
 */
public final class SnoozePolicy {

    public static final String FOR_MINUTES = "for_minutes";
    public static final String UNTIL_COUNT = "until_count";
    public static final String UNTIL_USERS = "until_users";
    public static final String UNTIL_ESCALATING = "until_escalating";
    public static final int ESCALATION_WINDOW_MINUTES = 60;
    /** Escalation needs more than this many events in the window, whatever the average. */
    public static final long ESCALATION_MINIMUM = 10;
    public static final double ESCALATION_FACTOR = 10;

    /** A stored snooze ({@code issue_snoozes} row); fields of other conditions are null. */
    public record Snooze(String condition, Instant ignoredAt, Instant until, Long eventCount,
            Integer countWindowMinutes, Long userCount, Integer userWindowMinutes, long timesSeenAtIgnore,
            long usersAtIgnore, long minuteEventsAtIgnore, Double hourlyAverage) {

        /** Minutes of the event window to count, 0 when the condition counts no windowed events. */
        public int eventWindowMinutes() {
            return switch (condition) {
                case UNTIL_COUNT -> countWindowMinutes == null ? 0 : countWindowMinutes;
                case UNTIL_ESCALATING -> ESCALATION_WINDOW_MINUTES;
                default -> 0;
            };
        }

        /** Minutes of the user window, 0 when the condition counts no windowed users. */
        public int userWindowMinutesOrZero() {
            return UNTIL_USERS.equals(condition) && userWindowMinutes != null ? userWindowMinutes : 0;
        }

        /** The minute the ignore happened in (issue_minute_counts are per minute of receipt). */
        public Instant ignoreMinute() {
            return ignoredAt.truncatedTo(ChronoUnit.MINUTES);
        }
    }

    /**
     * What was counted for the issue after the batch: its counters, the events since the ignore within the event
     * window and the distinct users within the user window (0 when the snooze has no such window).
     */
    public record Observed(long timesSeen, long usersAffected, long windowEvents, long windowUsers, Instant now) {
    }

    private SnoozePolicy() {
    }

    /** True when the snooze's condition is met and the issue must be reopened. */
    public static boolean isMet(Snooze s, Observed o) {
        return switch (s.condition()) {
            case FOR_MINUTES -> !o.now().isBefore(s.until());
            case UNTIL_COUNT -> (s.eventWindowMinutes() > 0 ? o.windowEvents() : o.timesSeen() - s.timesSeenAtIgnore())
                    >= s.eventCount();
            case UNTIL_USERS -> (s.userWindowMinutesOrZero() > 0 ? o.windowUsers() : o.usersAffected() - s.usersAtIgnore())
                    >= s.userCount();
            case UNTIL_ESCALATING -> o.windowEvents() > escalationThreshold(s.hourlyAverage());
            default -> throw new IllegalArgumentException("unknown snooze condition " + s.condition());
        };
    }

    /** Escalating means more events in {@link #ESCALATION_WINDOW_MINUTES} than this. */
    public static double escalationThreshold(double hourlyAverage) {
        return Math.max(ESCALATION_MINIMUM, ESCALATION_FACTOR * hourlyAverage);
    }

    /**
     * The first minute of receipt an event window of {@code minutes} ending with the minute of {@code newest}
     * covers, never before the ignore's minute (only events since the ignore count).
     */
    public static Instant windowStart(Snooze s, Instant newest, int minutes) {
        Instant start = newest.truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(minutes - 1L));
        return start.isBefore(s.ignoreMinute()) ? s.ignoreMinute() : start;
    }

    /**
     * Events since the ignore in a window, from the sum of the minute counts from {@link #windowStart}: the
     * ignore's own minute also holds events counted before the ignore, which do not count.
     */
    public static long eventsSinceIgnore(Snooze s, Instant windowStart, long minuteCountsSum) {
        return windowStart.equals(s.ignoreMinute()) ? minuteCountsSum - s.minuteEventsAtIgnore() : minuteCountsSum;
    }

    /** The oldest receipt time of a user's latest event that still counts in a user window. */
    public static Instant userWindowStart(Instant newest, int minutes) {
        return newest.minus(Duration.ofMinutes(minutes));
    }

    /**
     * For an {@code until_count} without window: the position (1-based) in the batch's events of the issue, in
     * receipt order, of the event that reached the count, given times_seen before the batch; -1 if none did.
     */
    public static int reachingEvent(Snooze s, long timesSeenBefore, int batchEvents) {
        long needed = s.timesSeenAtIgnore() + s.eventCount() - timesSeenBefore;
        return needed >= 1 && needed <= batchEvents ? (int) needed : -1;
    }
}
