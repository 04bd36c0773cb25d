package dev.beatline.query.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The buckets of a time series: a range aligned outward to whole intervals (counted from the Unix epoch, so
 * {@code 1h} buckets start on the hour and {@code 1d} buckets at 00:00 UTC) and the interval. At most
 * {@link #MAX_POINTS} buckets; without {@code interval} the smallest {@link #AUTO_INTERVALS} step that keeps
 * the series within {@link #AUTO_POINTS} is chosen.
 */
public record Buckets(Instant from, Instant to, Duration interval) {

    public static final int MAX_POINTS = 1440;
    public static final int AUTO_POINTS = 300;
    public static final List<Duration> AUTO_INTERVALS = List.of(Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(3), Duration.ofHours(12), Duration.ofDays(1),
            Duration.ofDays(7));

    private static final Pattern INTERVAL = Pattern.compile("([1-9][0-9]{0,4})([mhd])");

    /** Parses {@code interval} ({@code 1m}, {@code 5m}, {@code 1h}, {@code 1d}, …) over {@code range}; 400 when invalid. */
    public static Buckets of(TimeRange range, String interval) {
        Duration step = interval == null || interval.isBlank() ? auto(range) : parseInterval(interval.trim());
        Instant from = floor(range.from(), step);
        Instant to = floor(range.to(), step);
        if (to.isBefore(range.to())) {
            to = to.plus(step);
        }
        long points = Duration.between(from, to).toSeconds() / step.toSeconds();
        if (points > MAX_POINTS) {
            throw ApiProblem.badRequest("interval", "gives " + points + " points over this range; at most "
                    + MAX_POINTS + " (choose a longer interval or a shorter range)");
        }
        return new Buckets(from, to, step);
    }

    /** A duration such as {@code 5m}, {@code 1h}, {@code 1d}; 400 when malformed. */
    public static Duration parseInterval(String value) {
        Matcher m = INTERVAL.matcher(value);
        if (!m.matches()) {
            throw ApiProblem.badRequest("interval", "must be a whole number of minutes, hours or days such as 1m, 5m, 1h, 1d");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (d.compareTo(Duration.ofDays(31)) > 0) {
            throw ApiProblem.badRequest("interval", "must be at most 31d");
        }
        return d;
    }

    /** Number of buckets. */
    public int points() {
        return (int) (Duration.between(from, to).toSeconds() / interval.toSeconds());
    }

    /** Start of the {@code i}-th bucket. */
    public Instant bucket(int i) {
        return from.plus(interval.multipliedBy(i));
    }

    /** Index of the bucket that starts at {@code start}. */
    public int indexOf(Instant start) {
        return (int) (Duration.between(from, start).toSeconds() / interval.toSeconds());
    }

    /** The interval as the API writes it ({@code 5m}, {@code 1h}, {@code 1d}). */
    public String intervalText() {
        long m = interval.toMinutes();
        return m % 1440 == 0 ? m / 1440 + "d" : m % 60 == 0 ? m / 60 + "h" : m + "m";
    }

    /** Whether whole hours make up every bucket (so hourly rollups can answer). */
    public boolean hourAligned() {
        return interval.toSeconds() % 3600 == 0;
    }

    private static Duration auto(TimeRange range) {
        long seconds = Duration.between(range.from(), range.to()).toSeconds();
        for (Duration d : AUTO_INTERVALS) {
            if (seconds / d.toSeconds() < AUTO_POINTS) {
                return d;
            }
        }
        return AUTO_INTERVALS.get(AUTO_INTERVALS.size() - 1);
    }

    private static Instant floor(Instant t, Duration step) {
        long s = step.toSeconds();
        return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), s) * s);
    }
}
