package dev.beatline.query.transactions;

import dev.beatline.query.api.TimeRange;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Splits a range into the whole hours the hourly rollup answers and the minute edges before and after them
 * that only the minute table can answer. A minute bucket belongs to the range when it overlaps it, so the
 * minutes read are {@code [floor(from), ceil(to))}. Hours the processor has not rolled up yet
 * ({@link MetricsRollup}) count as edges. When no whole hour fits, {@code hourFrom == hourTo} and the minute table
 * answers everything.
 */
public record MetricsWindow(Instant minuteFrom, Instant hourFrom, Instant hourTo, Instant minuteTo) {

    /** The window of {@code range}, with hour rows only for hours before {@code rolledThrough}. */
    public static MetricsWindow of(TimeRange range, Instant rolledThrough) {
        Instant minuteFrom = range.from().truncatedTo(ChronoUnit.MINUTES);
        Instant minuteTo = ceil(range.to(), ChronoUnit.MINUTES);
        Instant hourFrom = ceil(minuteFrom, ChronoUnit.HOURS);
        Instant wholeHoursTo = minuteTo.truncatedTo(ChronoUnit.HOURS);
        Instant rolled = rolledThrough.truncatedTo(ChronoUnit.HOURS);
        Instant hourTo = rolled.isBefore(wholeHoursTo) ? rolled : wholeHoursTo;
        if (!hourFrom.isBefore(hourTo)) {
            return new MetricsWindow(minuteFrom, minuteTo, minuteTo, minuteTo);
        }
        return new MetricsWindow(minuteFrom, hourFrom, hourTo, minuteTo);
    }

    /** Length of the range read, in minutes (for throughput per minute). */
    public double minutes() {
        return (minuteTo.getEpochSecond() - minuteFrom.getEpochSecond()) / 60.0;
    }

    /**
     * SQL of the rows of a processor metrics table pair over this window: {@code <table>_hourly} rows of the whole
     * hours UNION ALL {@code <table>} (per minute) rows of the edges, both restricted by {@code filterSql} (fixed
     * fragments like {@code " AND service_name = ?"}). Appends the bind parameters to {@code params}.
     */
    String rowsSql(String minuteTable, String columns, long projectId, String filterSql, List<Object> filterParams,
            List<Object> params) {
        params.add(projectId);
        params.add(Timestamp.from(hourFrom));
        params.add(Timestamp.from(hourTo));
        params.addAll(filterParams);
        params.add(projectId);
        params.add(Timestamp.from(minuteFrom));
        params.add(Timestamp.from(hourFrom));
        params.add(Timestamp.from(hourTo));
        params.add(Timestamp.from(minuteTo));
        params.addAll(filterParams);
        return "SELECT " + columns + " FROM " + minuteTable + "_hourly WHERE project_id = ? AND bucket >= ? AND bucket < ?"
                + filterSql + " UNION ALL SELECT " + columns + " FROM " + minuteTable
                + " WHERE project_id = ? AND ((bucket >= ? AND bucket < ?) OR (bucket >= ? AND bucket < ?))" + filterSql;
    }

    private static Instant ceil(Instant t, ChronoUnit unit) {
        Instant floor = t.truncatedTo(unit);
        return floor.equals(t) ? t : floor.plus(1, unit);
    }
}
