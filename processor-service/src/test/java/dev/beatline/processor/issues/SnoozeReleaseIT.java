package dev.beatline.processor.issues;

import static dev.beatline.processor.ProcessorTestSupport.error;
import static dev.beatline.processor.ProcessorTestSupport.queryLong;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beatline.infra.Database;
import dev.beatline.infra.SharedInfra;
import dev.beatline.model.CanonicalEvent;
import dev.beatline.model.ErrorEvent;
import dev.beatline.processor.ProcessorTestSupport;
import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ignored issues with a condition ({@code issue_snoozes}, V610) reopened by {@link ErrorEventWriter} and by the
 * expiry job, against a real, migrated PostgreSQL. Snoozes are written here as the query service's ignore writes
 * them (baselines read from the issue under its row lock).
 */
class SnoozeReleaseIT {

    private static Database db;
    private static AgroalDataSource ds;
    /** The ignore happens at this minute + 30 s; events before it are earlier, events after it later. */
    private final Instant ignoredAt = Instant.now().truncatedTo(ChronoUnit.MINUTES).plusSeconds(30);

    @BeforeAll
    static void database() throws SQLException {
        db = ProcessorTestSupport.migratedDatabase(SharedInfra.get());
        ds = ProcessorTestSupport.dataSource(db);
    }

    @AfterAll
    static void close() {
        ds.close();
    }

    private static void apply(List<? extends CanonicalEvent> events) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            ProcessorTestSupport.errorWriter(1000).apply(c, new ArrayList<>(events));
            c.commit();
        }
    }

    private static long issueId(long project, int group) throws SQLException {
        return queryLong(db, "SELECT issue_id FROM error_events WHERE project_id = " + project
                + " AND payload::text LIKE '%\"group-" + group + "\"%' LIMIT 1");
    }

    /**
     * Ignores the issue as the query service does: status, archived substatus and a snooze row whose baselines
     * are the issue's counters and the events of the ignore's minute counted so far.
     */
    private void ignore(long issue, String condition, String column, Object value) throws SQLException {
        String substatus = SnoozePolicy.UNTIL_ESCALATING.equals(condition) ? "archived_until_escalating"
                : "archived_until_condition_met";
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE issues SET status = 'ignored', substatus = ? WHERE id = ?")) {
                ps.setString(1, substatus);
                ps.setLong(2, issue);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO issue_snoozes (project_id, issue_id, condition, "
                    + "ignored_at, times_seen_at_ignore, users_at_ignore, minute_events_at_ignore, " + column + ") "
                    + "SELECT project_id, id, ?, ?, times_seen, users_affected, COALESCE((SELECT events FROM "
                    + "issue_minute_counts m WHERE m.project_id = i.project_id AND m.issue_id = i.id AND m.minute = ?), 0), ? "
                    + "FROM issues i WHERE id = ?")) {
                ps.setString(1, condition);
                ps.setTimestamp(2, Timestamp.from(ignoredAt));
                ps.setTimestamp(3, Timestamp.from(ignoredAt.truncatedTo(ChronoUnit.MINUTES)));
                ps.setObject(4, value);
                ps.setLong(5, issue);
                ps.executeUpdate();
            }
            c.commit();
        }
    }

    private static void execute(String sql) throws SQLException {
        ProcessorTestSupport.execute(db, sql);
    }

    private static String state(long issue) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT status || '/' || substatus FROM issues WHERE id = ?")) {
            ps.setLong(1, issue);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static long escalations(long issue) throws SQLException {
        return queryLong(db, "SELECT count(*) FROM issue_activity WHERE kind = 'set_escalating' AND issue_id = " + issue);
    }

    private static String activityField(long issue, String field) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT data ->> ? FROM issue_activity WHERE kind = 'set_escalating' AND issue_id = ?")) {
            ps.setString(1, field);
            ps.setLong(2, issue);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private List<ErrorEvent> events(long p, int group, int n, Instant at) {
        List<ErrorEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(error(p, "shop", group, "1.0", null, at.plusMillis(i)));
        }
        return out;
    }

    @Test
    void untilCountReopensExactlyAtTheNthEventAfterTheIgnoreNotBefore() throws SQLException {
        long p = ProcessorTestSupport.newProjectId();
        apply(events(p, 1, 3, ignoredAt.minusSeconds(20))); // same minute as the ignore, before it
        long issue = issueId(p, 1);
        ignore(issue, SnoozePolicy.UNTIL_COUNT, "event_count", 5L);

        List<ErrorEvent> after = events(p, 1, 7, ignoredAt.plusSeconds(5));
        apply(after.subList(0, 2));
        apply(after.subList(0, 2)); // redelivered: counts once
        apply(after.subList(2, 4));
        assertThat(state(issue)).isEqualTo("ignored/archived_until_condition_met");
        assertThat(escalations(issue)).isZero();

        apply(after.subList(4, 7)); // the 5th event since the ignore is the first of this batch
        assertThat(state(issue)).isEqualTo("unresolved/escalating");
        assertThat(escalations(issue)).isEqualTo(1);
        assertThat(activityField(issue, "event_id")).isEqualTo(after.get(4).header().eventId());
        assertThat(activityField(issue, "condition")).isEqualTo("until_count");
        assertThat(activityField(issue, "events_since_ignored")).isEqualTo("7");
        assertThat(queryLong(db, "SELECT count(*) FROM issue_snoozes WHERE issue_id = " + issue)).isZero();
        apply(events(p, 1, 3, ignoredAt.plusSeconds(20)));
        assertThat(escalations(issue)).isEqualTo(1);
    }

    @Test
    void untilCountWithinAWindowNeedsTheEventsCloseTogether() throws SQLException {
        long p = ProcessorTestSupport.newProjectId();
        apply(events(p, 1, 4, ignoredAt.minusSeconds(10))); // 4 in the ignore's minute before it: never counted
        long issue = issueId(p, 1);
        ignore(issue, SnoozePolicy.UNTIL_COUNT, "event_count", 3L);
        execute("UPDATE issue_snoozes SET count_window_minutes = 10 WHERE issue_id = " + issue);

        apply(events(p, 1, 1, ignoredAt.plusSeconds(1)));
        apply(events(p, 1, 1, ignoredAt.plus(Duration.ofMinutes(11))));
        apply(events(p, 1, 1, ignoredAt.plus(Duration.ofMinutes(22))));
        assertThat(state(issue)).isEqualTo("ignored/archived_until_condition_met"); // 3 events, never 3 in 10 minutes
        apply(events(p, 1, 1, ignoredAt.plus(Duration.ofMinutes(25))));
        assertThat(state(issue)).isEqualTo("ignored/archived_until_condition_met"); // 2 within 10 minutes
        apply(events(p, 1, 1, ignoredAt.plus(Duration.ofMinutes(26))));
        assertThat(state(issue)).isEqualTo("unresolved/escalating");
        assertThat(activityField(issue, "window_events")).isEqualTo("3");
        assertThat(escalations(issue)).isEqualTo(1);
    }

    @Test
    void untilUsersCountsNewUsersOrDistinctUsersWithinTheWindow() throws SQLException {
        long p = ProcessorTestSupport.newProjectId();
        apply(List.of(error(p, "shop", 1, "1.0", "u1", ignoredAt.minusSeconds(5)),
                error(p, "shop", 2, "1.0", "u1", ignoredAt.minusSeconds(5))));
        long total = issueId(p, 1);
        long windowed = issueId(p, 2);
        ignore(total, SnoozePolicy.UNTIL_USERS, "user_count", 2L);
        ignore(windowed, SnoozePolicy.UNTIL_USERS, "user_count", 2L);
        execute("UPDATE issue_snoozes SET user_window_minutes = 30 WHERE issue_id = " + windowed);

        Instant t = ignoredAt.plusSeconds(1);
        apply(List.of(error(p, "shop", 1, "1.0", "u1", t), error(p, "shop", 1, "1.0", "u1", t.plusMillis(1)),
                error(p, "shop", 1, "1.0", "u2", t.plusMillis(2))));
        assertThat(state(total)).isEqualTo("ignored/archived_until_condition_met"); // u1 is not new: 1 new user
        apply(List.of(error(p, "shop", 1, "1.0", "u3", t.plusSeconds(1))));
        assertThat(state(total)).isEqualTo("unresolved/escalating");
        assertThat(activityField(total, "users_since_ignored")).isEqualTo("2");

        apply(List.of(error(p, "shop", 2, "1.0", "u2", t)));
        apply(List.of(error(p, "shop", 2, "1.0", "u3", t.plus(Duration.ofMinutes(40)))));
        assertThat(state(windowed)).isEqualTo("ignored/archived_until_condition_met"); // u2 was 40 minutes earlier
        apply(List.of(error(p, "shop", 2, "1.0", "u2", t.plus(Duration.ofMinutes(41)))));
        assertThat(state(windowed)).isEqualTo("unresolved/escalating");
        assertThat(activityField(windowed, "window_users")).isEqualTo("2");
        assertThat(queryLong(db, "SELECT count(*) FROM issue_snooze_users WHERE issue_id = " + windowed)).isZero();
    }

    @Test
    void ignoredForeverIsNeverReopened() throws SQLException {
        long p = ProcessorTestSupport.newProjectId();
        apply(events(p, 1, 1, ignoredAt.minusSeconds(5)));
        long issue = issueId(p, 1);
        execute("UPDATE issues SET status = 'ignored', substatus = 'archived_forever' WHERE id = " + issue);
        apply(events(p, 1, 500, ignoredAt.plusSeconds(1)));
        apply(events(p, 1, 1, ignoredAt.plus(Duration.ofDays(2))));
        assertThat(state(issue)).isEqualTo("ignored/archived_forever");
        assertThat(queryLong(db, "SELECT times_seen FROM issues WHERE id = " + issue)).isEqualTo(502);
        assertThat(escalations(issue)).isZero();
    }

    @Test
    void forMinutesEndsByTheJobWithoutEventsOrByTheNextEventOnce() throws Exception {
        long p = ProcessorTestSupport.newProjectId();
        apply(List.of(error(p, "shop", 1, "1.0", null, ignoredAt.minusSeconds(5)),
                error(p, "shop", 2, "1.0", null, ignoredAt.minusSeconds(5)),
                error(p, "shop", 3, "1.0", null, ignoredAt.minusSeconds(5))));
        long quiet = issueId(p, 1);
        long noisy = issueId(p, 2);
        long later = issueId(p, 3);
        Instant ended = Instant.now().minusSeconds(1);
        ignore(quiet, SnoozePolicy.FOR_MINUTES, "until", Timestamp.from(ended));
        ignore(noisy, SnoozePolicy.FOR_MINUTES, "until", Timestamp.from(ended));
        ignore(later, SnoozePolicy.FOR_MINUTES, "until", Timestamp.from(Instant.now().plus(Duration.ofHours(1))));

        apply(events(p, 3, 50, Instant.now())); // its hour has not passed: stays ignored
        apply(events(p, 2, 1, Instant.now())); // ended: the next event reopens it
        assertThat(state(noisy)).isEqualTo("unresolved/escalating");
        assertThat(state(later)).isEqualTo("ignored/archived_until_condition_met");

        IssueMaintenance maintenance = new IssueMaintenance(new ErrorRetention(30, 30), 1);
        int processors = 2;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(processors);
        List<Future<Optional<Integer>>> runs = new ArrayList<>();
        for (int i = 0; i < processors; i++) {
            runs.add(pool.submit(() -> {
                go.await();
                try (Connection c = ds.getConnection()) {
                    c.setAutoCommit(true);
                    return maintenance.expireSnoozes(c, Instant.now());
                }
            }));
        }
        go.countDown();
        int reopened = 0;
        for (Future<Optional<Integer>> r : runs) {
            reopened += r.get().orElse(0);
        }
        pool.shutdown();
        assertThat(reopened).isEqualTo(1);
        assertThat(state(quiet)).isEqualTo("unresolved/escalating");
        assertThat(state(later)).isEqualTo("ignored/archived_until_condition_met");
        assertThat(escalations(quiet)).isEqualTo(1);
        assertThat(escalations(noisy)).isEqualTo(1);
        assertThat(activityField(quiet, "condition")).isEqualTo("for_minutes");
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(true);
            assertThat(maintenance.expireSnoozes(c, Instant.now().plus(Duration.ofMinutes(59)))).contains(0);
            assertThat(maintenance.expireSnoozes(c, Instant.now().plus(Duration.ofMinutes(61)))).contains(1);
        }
        assertThat(state(later)).isEqualTo("unresolved/escalating");
        assertThat(queryLong(db, "SELECT count(*) FROM issue_activity WHERE kind = 'set_escalating' AND project_id = " + p))
                .isEqualTo(3);
    }

    @Test
    void untilEscalatingReopensOnABurstButNotOnSteadyTraffic() throws SQLException {
        long p = ProcessorTestSupport.newProjectId();
        apply(events(p, 1, 3, ignoredAt.minus(Duration.ofHours(2))));
        long issue = issueId(p, 1);
        // 3 events per hour over the week before: more than 30 events within an hour escalate
        ignore(issue, SnoozePolicy.UNTIL_ESCALATING, "hourly_average", 3.0);

        for (int hour = 0; hour < 5; hour++) { // steady: 3 an hour, then a busy hour of 27 more
            apply(events(p, 1, 3, ignoredAt.plus(Duration.ofMinutes(60L * hour + 10))));
        }
        apply(events(p, 1, 27, ignoredAt.plus(Duration.ofMinutes(60L * 4 + 20))));
        assertThat(state(issue)).isEqualTo("ignored/archived_until_escalating"); // 30 in the last hour: not more
        apply(events(p, 1, 1, ignoredAt.plus(Duration.ofMinutes(60L * 4 + 21))));
        assertThat(state(issue)).isEqualTo("unresolved/escalating");
        assertThat(activityField(issue, "window_events")).isEqualTo("31");
        assertThat(activityField(issue, "threshold")).isEqualTo("30.0");
        assertThat(escalations(issue)).isEqualTo(1);
    }

    @Test
    void concurrentProcessorsReopenOnceWithOneActivity() throws Exception {
        long p = ProcessorTestSupport.newProjectId();
        apply(events(p, 1, 1, ignoredAt.minusSeconds(5)));
        long issue = issueId(p, 1);
        ignore(issue, SnoozePolicy.UNTIL_COUNT, "event_count", 2L);
        int processors = 4;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(processors);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < processors; i++) {
            List<ErrorEvent> batch = events(p, 1, 1, ignoredAt.plusSeconds(1 + i));
            done.add(pool.submit(() -> {
                go.await();
                apply(batch);
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        assertThat(state(issue)).isEqualTo("unresolved/escalating");
        assertThat(escalations(issue)).isEqualTo(1);
        assertThat(queryLong(db, "SELECT times_seen FROM issues WHERE id = " + issue)).isEqualTo(1 + processors);
    }
}
