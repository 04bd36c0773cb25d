package dev.beatline.processor.metrics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Hour rows of the histogram metrics tables built from closed minutes (see V630): batches write minute rows
 * only, except for minutes of hours already rolled up ({@link #rolledThrough}), which they also merge into the
 * hour row. {@link #rollUp} turns each closed hour's minute rows into its hour rows and advances the watermark,
 * under an exclusive advisory lock that batches take in shared mode, so a batch either sees the new watermark
 * (and writes through) or committed before the rollup read the minutes.
 */
public final class HourRollup {

    private static final int LOCK_CLASS = 5_002;
    private static final List<MetricTable> TABLES = List.of(MetricTable.TRANSACTIONS, MetricTable.SERVICES,
            MetricTable.DEPENDENCIES);
    /** At most this many hours per {@link #rollUp} call, so one call never holds the lock for long. */
    private static final int MAX_HOURS_PER_RUN = 6;
    /** Groups merged and written at a time. */
    private static final int WRITE_CHUNK = 1_000;

    private final Partitions partitions;
    private final Retention retention;
    private final HistogramMetricsStore store;

    public HourRollup(Partitions partitions, Retention retention) {
        this.partitions = partitions;
        this.retention = retention;
        this.store = new HistogramMetricsStore(partitions);
    }

    /**
     * The watermark as a batch must see it: takes the rollup lock in shared mode for the rest of the transaction,
     * then reads it (in a statement of its own, so it sees a rollup that committed while this one waited).
     */
    public static Instant rolledThrough(Connection c) throws SQLException {
        shareLock(c);
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT rolled_through FROM metrics_rollup WHERE id = 1")) {
            return rs.next() ? rs.getObject(1, OffsetDateTime.class).toInstant() : Instant.EPOCH;
        }
    }

    /** Takes the rollup lock in shared mode until the end of the transaction (a no-op when already held). */
    static void shareLock(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock_shared(" + LOCK_CLASS + ", 0)");
        }
    }

    /**
     * Rolls up every hour that ended at least {@code grace} before {@code now} and is not rolled up yet (at most
     * {@value #MAX_HOURS_PER_RUN}), in the caller's transaction; returns how many. Hours whose minutes are past
     * the minute retention are skipped (their hour rows, if any, are kept as they are).
     */
    public int rollUp(Connection c, Instant now, Duration grace) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock(" + LOCK_CLASS + ", 0)");
        }
        Instant w;
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT rolled_through FROM metrics_rollup WHERE id = 1 FOR UPDATE")) {
            if (!rs.next()) {
                throw new SQLException("metrics_rollup has no row: migration V630 missing");
            }
            w = rs.getObject(1, OffsetDateTime.class).toInstant();
        }
        int hours = 0;
        Instant minuteCutoff = retention.minuteCutoff(now).truncatedTo(ChronoUnit.HOURS);
        while (hours < MAX_HOURS_PER_RUN && !w.plus(Duration.ofHours(1)).plus(grace).isAfter(now)) {
            if (!w.isBefore(minuteCutoff)) {
                for (MetricTable table : TABLES) {
                    rollUpHour(c, table, w);
                }
            }
            w = w.plus(Duration.ofHours(1));
            hours++;
        }
        if (hours > 0) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE metrics_rollup SET rolled_through = ? WHERE id = 1")) {
                ps.setTimestamp(1, Timestamp.from(w));
                ps.executeUpdate();
            }
        }
        return hours;
    }

    /** Replaces the hour rows of {@code hour} by the merge of its minute rows, a chunk of groups at a time. */
    private void rollUpHour(Connection c, MetricTable table, Instant hour) throws SQLException {
        partitions.ensure(c, table.hourlyName(), Partitions.Period.MONTH, hour);
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table.hourlyName() + " WHERE bucket = ?")) {
            ps.setTimestamp(1, Timestamp.from(hour));
            ps.executeUpdate();
        }
        String dims = String.join(", ", table.dimensions());
        TreeMap<MetricKey, Measures> chunk = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT project_id, " + dims + ", " + HistogramMetricsStore.MEASURE_COLUMNS
                + " FROM " + table.name() + " WHERE bucket >= ? AND bucket < ? ORDER BY project_id, " + dims)) {
            ps.setFetchSize(WRITE_CHUNK);
            ps.setTimestamp(1, Timestamp.from(hour));
            ps.setTimestamp(2, Timestamp.from(hour.plus(Duration.ofHours(1))));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<String> values = new ArrayList<>(table.dimensions().size());
                    for (int i = 0; i < table.dimensions().size(); i++) {
                        values.add(rs.getString(2 + i));
                    }
                    MetricKey key = new MetricKey(rs.getLong(1), hour, values);
                    if (!chunk.containsKey(key) && chunk.size() >= WRITE_CHUNK) {
                        store.insertHours(c, table, chunk);
                        chunk.clear();
                    }
                    chunk.computeIfAbsent(key, k -> new Measures()).add(HistogramMetricsStore.measures(rs, 2 + values.size()));
                }
            }
        }
        store.insertHours(c, table, chunk);
    }
}
