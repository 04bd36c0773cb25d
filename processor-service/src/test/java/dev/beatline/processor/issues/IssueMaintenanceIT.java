package dev.beatline.processor.issues;

import static dev.beatline.processor.ProcessorTestSupport.error;
import static dev.beatline.processor.ProcessorTestSupport.execute;
import static dev.beatline.processor.ProcessorTestSupport.queryLong;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beatline.infra.Database;
import dev.beatline.infra.SharedInfra;
import dev.beatline.model.CanonicalEvent;
import dev.beatline.model.ErrorEvent;
import dev.beatline.processor.ProcessorTestSupport;
import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link IssueMaintenance} against a real PostgreSQL, driven with fixed clocks: auto-ongoing after 7 days and
 * error retention, each also run by two "processors" at once. A fresh database per test (retention drops
 * partitions of the whole database).
 */
class IssueMaintenanceIT {

    private Database db;
    private AgroalDataSource ds;
    private final Instant now = Instant.now();
    /** Chunk of 2, so the chunked statements loop. */
    private final IssueMaintenance maintenance = new IssueMaintenance(new ErrorRetention(30, 30), 2);

    @BeforeEach
    void database() throws SQLException {
        db = ProcessorTestSupport.migratedDatabase(SharedInfra.get());
        ds = ProcessorTestSupport.dataSource(db);
    }

    @AfterEach
    void close() {
        ds.close();
    }

    private void apply(List<? extends CanonicalEvent> events) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            ProcessorTestSupport.errorWriter(1000).apply(c, new ArrayList<>(events));
            c.commit();
        }
    }

    private <T> T withConnection(SqlFunction<T> f) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(true);
            return f.apply(c);
        }
    }

    private Optional<Integer> ongoing(Instant at) throws SQLException {
        return withConnection(c -> maintenance.markOngoing(c, at));
    }

    private interface SqlFunction<T> {
        T apply(Connection c) throws SQLException;
    }

    @Test
    void newAndRegressedIssuesBecomeOngoingAfterSevenDaysWithOneActivityEach() throws Exception {
        long p = ProcessorTestSupport.newProjectId();
        apply(List.of(error(p, "shop", 1, "1.0", null, now), error(p, "shop", 2, "1.0", null, now),
                error(p, "shop", 3, "1.0", null, now), error(p, "shop", 4, "1.0", null, now),
                error(p, "shop", 5, "1.0", null, now)));
        // 2 was reopened a day later than the others were created; 3 is ignored, 4 resolved, 5 already ongoing
        execute(db, "UPDATE issues SET active_at = active_at - interval '1 day' WHERE project_id = " + p);
        execute(db, "UPDATE issues SET substatus = 'regressed', active_at = active_at + interval '1 day' WHERE id = "
                + issueId(p, 2));
        execute(db, "UPDATE issues SET status = 'ignored' WHERE id = " + issueId(p, 3));
        execute(db, "UPDATE issues SET status = 'resolved', resolved_at = now() WHERE id = " + issueId(p, 4));
        execute(db, "UPDATE issues SET substatus = 'ongoing' WHERE id = " + issueId(p, 5));

        assertThat(ongoing(now.plus(Duration.ofDays(6)))).contains(0);
        assertThat(substatus(p, 1)).isEqualTo("new");

        // 7 days after creation: the new one moves, the one regressed a day later does not yet
        assertThat(ongoing(now.plus(Duration.ofDays(6)).plusSeconds(3600)))
                .contains(1);
        assertThat(substatus(p, 1)).isEqualTo("ongoing");
        assertThat(substatus(p, 2)).isEqualTo("regressed");

        // two processors at once, 8 days on: the regressed one moves exactly once
        List<Optional<Integer>> runs = concurrently(2, () -> withConnection(
                c -> maintenance.markOngoing(c, now.plus(Duration.ofDays(8)))));
        assertThat(runs.stream().flatMap(Optional::stream).mapToInt(Integer::intValue).sum()).isEqualTo(1);
        assertThat(substatus(p, 2)).isEqualTo("ongoing");
        assertThat(substatus(p, 3)).isEqualTo("new"); // ignored: untouched
        assertThat(substatus(p, 4)).isEqualTo("new"); // resolved: untouched
        assertThat(queryLong(db, "SELECT count(*) FROM issue_activity WHERE kind = 'auto_set_ongoing' AND project_id = "
                + p)).isEqualTo(2);
        assertThat(queryLong(db, "SELECT count(*) FROM issue_activity WHERE kind = 'auto_set_ongoing' AND issue_id = "
                + issueId(p, 2) + " AND data ->> 'previous_substatus' = 'regressed' AND (data ->> 'after_days')::int = 7"))
                .isEqualTo(1);
        // a later run finds nothing left to do
        assertThat(ongoing(now.plus(Duration.ofDays(30)))).contains(0);
    }

    @Test
    void escalatingIssuesBecomeOngoingAfterSevenDaysToo() throws Exception {
        long p = ProcessorTestSupport.newProjectId();
        apply(List.of(error(p, "shop", 1, "1.0", null, now)));
        // as an ignored issue reopened by its condition (IssueSnoozes) leaves it
        execute(db, "UPDATE issues SET substatus = 'escalating' WHERE project_id = " + p);
        assertThat(ongoing(now.plus(Duration.ofDays(6)))).contains(0);
        assertThat(ongoing(now.plus(Duration.ofDays(8)))).contains(1);
        assertThat(substatus(p, 1)).isEqualTo("ongoing");
        assertThat(queryLong(db, "SELECT count(*) FROM issue_activity WHERE kind = 'auto_set_ongoing' AND project_id = "
                + p + " AND data ->> 'previous_substatus' = 'escalating'")).isEqualTo(1);
    }

    @Test
    void anIssueRegressingWhileTheJobRunsStaysRegressed() throws Exception {
        long p = ProcessorTestSupport.newProjectId();
        apply(List.of(error(p, "shop", 1, "1.0", null, now)));
        execute(db, "UPDATE issues SET status = 'resolved', resolved_at = now() - interval '10 days', "
                + "active_at = now() - interval '10 days' WHERE project_id = " + p);
        // the regression is applied while the job runs: the batch holds the issue's row lock
        try (Connection batch = ds.getConnection()) {
            batch.setAutoCommit(false);
            ProcessorTestSupport.errorWriter(1000).apply(batch, List.of(error(p, "shop", 1, "1.1", null, Instant.now())));
            assertThat(ongoing(Instant.now())).contains(0); // skipped, locked
            batch.commit();
        }
        assertThat(substatus(p, 1)).isEqualTo("regressed");
        assertThat(ongoing(Instant.now())).contains(0); // just regressed
        assertThat(ongoing(Instant.now().plus(Duration.ofDays(8)))).contains(1);
    }

    @Test
    void retentionDropsExpiredDayPartitionsAndPrunesCountsAndEventIds() throws Exception {
        long p = ProcessorTestSupport.newProjectId();
        Instant later = now.plus(Duration.ofDays(45));
        ErrorEvent old = error(p, "shop", 1, "1.0", null, now);
        ErrorEvent recent = error(p, "shop", 1, "1.0", null, later);
        apply(List.of(old, recent));
        // a row in the default partition (safety net) from long ago
        execute(db, "INSERT INTO error_events (project_id, event_id, issue_id, occurred_at, received_at, level, payload)"
                + " VALUES (" + p + ", 'stray', 0, '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z', 'error', '{}')");
        String oldPartition = ErrorEventPartitions.tableName(ErrorEventPartitions.day(now));
        String recentPartition = ErrorEventPartitions.tableName(ErrorEventPartitions.day(later));

        // 60 days on, by two processors at once: one does the work, the other skips
        Instant jobNow = now.plus(Duration.ofDays(60));
        List<Optional<IssueMaintenance.RetentionRun>> runs = concurrently(2,
                () -> withConnection(c -> maintenance.applyRetention(c, jobNow)));
        List<IssueMaintenance.RetentionRun> done = runs.stream().flatMap(Optional::stream).toList();
        assertThat(done).isNotEmpty();
        assertThat(done.stream().flatMap(r -> r.droppedPartitions().stream())).contains(oldPartition)
                .doesNotContain(recentPartition).doesNotHaveDuplicates();
        assertThat(queryLong(db, "SELECT count(*) FROM pg_class WHERE relname = '" + oldPartition + "'")).isZero();
        assertThat(queryLong(db, "SELECT count(*) FROM error_events WHERE project_id = " + p)).isEqualTo(1);
        assertThat(queryLong(db, "SELECT count(*) FROM error_events_default")).isZero();
        assertThat(queryLong(db, "SELECT count(*) FROM issue_minute_counts WHERE project_id = " + p)).isEqualTo(1);
        assertThat(queryLong(db, "SELECT count(*) FROM service_error_counts_hourly WHERE project_id = " + p))
                .as("only the recent occurrence's hour is left").isEqualTo(1);
        assertThat(queryLong(db, "SELECT count(*) FROM error_event_ids WHERE project_id = " + p)).isEqualTo(1);
        assertThat(queryLong(db, "SELECT times_seen FROM issues WHERE project_id = " + p)).isEqualTo(2);

        // nothing left to do on the next run
        IssueMaintenance.RetentionRun again = withConnection(c -> maintenance.applyRetention(c, jobNow)).orElseThrow();
        assertThat(again.droppedPartitions()).isEmpty();
        assertThat(again.defaultPartitionRows() + again.eventIds() + again.minuteCounts() + again.serviceErrorHours())
                .isZero();

        // the documented consequence: an id older than the dedup horizon counts again; a remembered one does not
        apply(List.of(recent, old));
        assertThat(queryLong(db, "SELECT times_seen FROM issues WHERE project_id = " + p)).isEqualTo(3);
    }

    @Test
    void eventsAboutToExpireAreCountedButNotStored() throws SQLException {
        long p = ProcessorTestSupport.newProjectId();
        Instant expired = now.minus(Duration.ofDays(30)).plus(Duration.ofMinutes(30)); // inside the 1 h margin
        Instant kept = now.minus(Duration.ofDays(29));
        apply(List.of(error(p, "shop", 1, "1.0", null, expired), error(p, "shop", 1, "1.0", null, kept)));

        assertThat(queryLong(db, "SELECT times_seen FROM issues WHERE project_id = " + p)).isEqualTo(2);
        assertThat(queryLong(db, "SELECT count(*) FROM error_events WHERE project_id = " + p)).isEqualTo(1);
        assertThat(queryLong(db, "SELECT count(*) FROM error_events_default")).isZero();
        if (!ErrorEventPartitions.day(expired).equals(ErrorEventPartitions.day(kept))) {
            assertThat(queryLong(db, "SELECT count(*) FROM pg_class WHERE relname = '"
                    + ErrorEventPartitions.tableName(ErrorEventPartitions.day(expired)) + "'")).isZero();
        }
    }

    @Test
    void dedupHorizonCannotBeShorterThanKafkaRetention() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ErrorRetention(3, 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new ErrorRetention(3, 7).dedupCutoff(now)).isEqualTo(now.minus(7, ChronoUnit.DAYS));
    }

    private long issueId(long project, int group) throws SQLException {
        return queryLong(db, "SELECT issue_id FROM error_events WHERE project_id = " + project
                + " AND payload::text LIKE '%\"group-" + group + "\"%' LIMIT 1");
    }

    private String substatus(long project, int group) throws SQLException {
        try (Connection c = ds.getConnection(); var st = c.createStatement(); var rs = st.executeQuery(
                "SELECT substatus FROM issues WHERE id = " + issueId(project, group))) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static <T> List<T> concurrently(int n, Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return task.call();
                }));
            }
            go.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
