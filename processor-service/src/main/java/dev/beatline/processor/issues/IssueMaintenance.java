package dev.beatline.processor.issues;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The processor's scheduled issue upkeep (plain logic; {@link IssueMaintenanceJob} schedules it):
 * <ul>
 * <li>{@link #markOngoing}: unresolved issues that are {@code new}, {@code regressed} or {@code escalating} become
 * {@code ongoing}
 * once they have been so for {@link #ONGOING_AFTER} (Sentry's {@code auto_ongoing_issues},
 * {@code TRANSITION_AFTER_DAYS = 7}), each with one {@code auto_set_ongoing} activity. "Since" is
 * {@code active_at}, the processor's clock when it created or reopened the issue (Sentry uses first_seen for new
 * issues, i.e. the SDK's clock).</li>
 * <li>{@link #expireSnoozes}: ignored issues whose {@code for_minutes} ignore has ended become unresolved /
 * escalating even when no event arrives ({@link IssueSnoozes#expire}).</li>
 * <li>{@link #applyRetention}: drops whole {@code error_events} day partitions older than
 * {@link ErrorRetention#errorDays()}, deletes expired rows of the default partition, of
 * {@code issue_minute_counts} and of {@code service_error_counts_hourly} (the services overview's error counts),
 * and forgets event ids older than {@link ErrorRetention#dedupDays()}.</li>
 * </ul>
 * Safe with several processors: each job runs under a PostgreSQL advisory lock that the others skip on (so the
 * work is not done twice), and every step is idempotent on its own: the substatus change is a conditional
 * UPDATE of rows locked {@code SKIP LOCKED} (an issue a batch is writing is left for the next run, and a
 * regression that lands meanwhile is seen), partitions are dropped {@code IF EXISTS}, deletes are by time.
 * Works in short auto-committed chunks, so it never holds many row locks or blocks a batch for long.
 */
public final class IssueMaintenance {

    private static final Logger LOG = Logger.getLogger(IssueMaintenance.class);
    public static final Duration ONGOING_AFTER = Duration.ofDays(7);
    private static final int LOCK_CLASS = 4_001;
    private static final int ONGOING_LOCK = 1;
    private static final int RETENTION_LOCK = 2;
    private static final int SNOOZE_LOCK = 3;
    /** How long dropping a partition waits for batches writing to error_events before trying again next run. */
    private static final String DROP_LOCK_TIMEOUT = "5s";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

    /** What one retention run removed. */
    public record RetentionRun(List<String> droppedPartitions, long defaultPartitionRows, long eventIds,
            long minuteCounts, long serviceErrorHours) {
    }

    private final ErrorRetention retention;
    private final int chunk;

    /** @param chunk rows changed per auto-committed statement */
    public IssueMaintenance(ErrorRetention retention, int chunk) {
        this.retention = retention;
        this.chunk = chunk;
    }

    /**
     * Moves due new, regressed and escalating issues to ongoing. The connection must be in auto-commit mode.
     *
     * @return how many issues were moved, empty when another processor is running this job
     */
    public Optional<Integer> markOngoing(Connection c, Instant now) throws SQLException {
        if (!tryLock(c, ONGOING_LOCK)) {
            return Optional.empty();
        }
        try {
            Timestamp cutoff = Timestamp.from(now.minus(ONGOING_AFTER));
            int total = 0;
            int n;
            try (PreparedStatement ps = c.prepareStatement("""
                    WITH due AS (
                        SELECT id, substatus FROM issues
                         WHERE status = 'unresolved' AND substatus IN ('new', 'regressed', 'escalating')
                           AND (active_at < ? OR (active_at IS NULL AND first_seen < ?))
                         ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED),
                    moved AS (
                        UPDATE issues i SET substatus = 'ongoing' FROM due WHERE i.id = due.id
                        RETURNING i.project_id, i.id, due.substatus AS previous)
                    INSERT INTO issue_activity (project_id, issue_id, kind, data)
                    SELECT project_id, id, ?, jsonb_build_object('previous_substatus', previous, 'after_days', ?)
                      FROM moved""")) {
                do {
                    ps.setTimestamp(1, cutoff);
                    ps.setTimestamp(2, cutoff);
                    ps.setInt(3, chunk);
                    ps.setString(4, IssueStatus.ACTIVITY_AUTO_SET_ONGOING);
                    ps.setLong(5, ONGOING_AFTER.toDays());
                    n = ps.executeUpdate();
                    total += n;
                } while (n == chunk);
            }
            return Optional.of(total);
        } finally {
            unlock(c, ONGOING_LOCK);
        }
    }

    /**
     * Reopens ignored issues whose ignore duration has ended. The connection must be in auto-commit mode.
     *
     * @return how many issues were reopened, empty when another processor is running this job
     */
    public Optional<Integer> expireSnoozes(Connection c, Instant now) throws SQLException {
        if (!tryLock(c, SNOOZE_LOCK)) {
            return Optional.empty();
        }
        try {
            return Optional.of(IssueSnoozes.expire(c, now, chunk));
        } finally {
            unlock(c, SNOOZE_LOCK);
        }
    }

    /**
     * Removes expired error data. The connection must be in auto-commit mode.
     *
     * @return what was removed, empty when another processor is running this job
     */
    public Optional<RetentionRun> applyRetention(Connection c, Instant now) throws SQLException {
        if (!tryLock(c, RETENTION_LOCK)) {
            return Optional.empty();
        }
        try {
            Instant cutoff = retention.occurrenceCutoff(now);
            List<String> dropped = dropPartitionsBefore(c, cutoff);
            long defaultRows = deleteChunked(c, "error_events_default", "received_at", cutoff);
            long ids = deleteChunked(c, "error_event_ids", "received_at", retention.dedupCutoff(now));
            long minutes = deleteChunked(c, "issue_minute_counts", "minute", cutoff);
            long serviceHours = deleteChunked(c, "service_error_counts_hourly", "hour", cutoff);
            return Optional.of(new RetentionRun(dropped, defaultRows, ids, minutes, serviceHours));
        } finally {
            unlock(c, RETENTION_LOCK);
        }
    }

    /** Drops the day partitions that end at or before {@code cutoff}, each in its own short transaction. */
    private List<String> dropPartitionsBefore(Connection c, Instant cutoff) throws SQLException {
        List<String> expired = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT child.relname FROM pg_inherits
                  JOIN pg_class parent ON parent.oid = pg_inherits.inhparent
                  JOIN pg_class child ON child.oid = pg_inherits.inhrelid
                 WHERE parent.relname = 'error_events' AND parent.relnamespace = to_regnamespace(current_schema())::oid
                 ORDER BY child.relname""");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                LocalDate day = partitionDay(rs.getString(1));
                if (day != null && !ErrorEventPartitions.start(day.plusDays(1)).isAfter(cutoff)) {
                    expired.add(rs.getString(1));
                }
            }
        }
        List<String> dropped = new ArrayList<>();
        for (String name : expired) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                // DROP locks error_events; do not queue behind a long batch (and block every batch behind us)
                st.execute("SET LOCAL lock_timeout = '" + DROP_LOCK_TIMEOUT + "'");
                st.execute("DROP TABLE IF EXISTS " + name);
                c.commit();
                dropped.add(name);
            } catch (SQLException e) {
                c.rollback();
                if (!"55P03".equals(e.getSQLState())) { // lock_not_available: next run
                    throw e;
                }
                LOG.infof("partition %s busy, dropped on a later run", name);
            } finally {
                c.setAutoCommit(true);
            }
        }
        return dropped;
    }

    /** The day of a partition named {@code error_events_pYYYYMMDD}; null for the default partition or others. */
    static LocalDate partitionDay(String name) {
        String prefix = "error_events_p";
        if (!name.startsWith(prefix) || name.length() != prefix.length() + 8) {
            return null;
        }
        try {
            return LocalDate.parse(name.substring(prefix.length()), DAY);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private long deleteChunked(Connection c, String table, String column, Instant before) throws SQLException {
        long total = 0;
        int n;
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE ctid = ANY(ARRAY(SELECT ctid FROM "
                + table + " WHERE " + column + " < ? LIMIT ?))")) {
            do {
                ps.setTimestamp(1, Timestamp.from(before));
                ps.setInt(2, chunk);
                n = ps.executeUpdate();
                total += n;
            } while (n == chunk);
        }
        return total;
    }

    private static boolean tryLock(Connection c, int job) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            ps.setInt(1, LOCK_CLASS);
            ps.setInt(2, job);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static void unlock(Connection c, int job) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
            ps.setInt(1, LOCK_CLASS);
            ps.setInt(2, job);
            ps.executeQuery().close();
        }
    }
}
