package dev.beatline.processor.issues;

import static dev.beatline.processor.ProcessorTestSupport.error;
import static dev.beatline.processor.ProcessorTestSupport.queryLong;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beatline.infra.Database;
import dev.beatline.infra.SharedInfra;
import dev.beatline.model.CanonicalEvent;
import dev.beatline.model.ErrorEvent;
import dev.beatline.model.HttpRequest;
import dev.beatline.processor.ProcessorTestSupport;
import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ErrorEventWriter against a real, migrated PostgreSQL: issues, workflow, regression, partitions, caps. */
class ErrorIssuesIT {

    private static Database db;
    private static AgroalDataSource ds;
    private final Instant now = Instant.now();

    @BeforeAll
    static void database() throws SQLException {
        db = ProcessorTestSupport.migratedDatabase(SharedInfra.get());
        ds = ProcessorTestSupport.dataSource(db);
    }

    @AfterAll
    static void close() {
        ds.close();
    }

    private void apply(ErrorEventWriter writer, List<? extends CanonicalEvent> events) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            writer.apply(c, new ArrayList<>(events));
            c.commit();
        }
    }

    private static String text(String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Test
    void issueCountsUsersEnvironmentsReleasesComponentsAndFirstSeenActivity() throws SQLException {
        long p = ProcessorTestSupport.newProjectId();
        ErrorEventWriter writer = ProcessorTestSupport.errorWriter(100);
        ErrorEvent a = error(p, "shop", 1, "1.0", "u1", now);
        ErrorEvent b = error(p, "shop", 1, "1.1", "u2", now.plusSeconds(1));
        ErrorEvent c = error(p, "shop", 1, "1.1", "u1", now.plusSeconds(2));
        ErrorEvent staging = withEnvironment(error(p, "shop", 1, "1.1", null, now.plusSeconds(3)), "staging");
        apply(writer, List.of(a, b));
        apply(writer, List.of(c, staging, a)); // a again: one event

        String where = " FROM issues WHERE project_id = " + p;
        assertThat(queryLong(db, "SELECT count(*)" + where)).isEqualTo(1);
        assertThat(queryLong(db, "SELECT times_seen" + where)).isEqualTo(4);
        assertThat(queryLong(db, "SELECT users_affected" + where)).isEqualTo(2);
        assertThat(text("SELECT first_release || '>' || last_release" + where)).isEqualTo("1.0>1.1");
        assertThat(text("SELECT array_to_string(environments, ',')" + where)).isEqualTo("production,staging");
        assertThat(text("SELECT status || '/' || substatus" + where)).isEqualTo("unresolved/new");
        assertThat(text("SELECT grouping_components::text" + where)).contains("group-1");
        assertThat(queryLong(db, "SELECT count(*) FROM issue_activity WHERE kind = 'first_seen' AND project_id = " + p))
                .isEqualTo(1);
        assertThat(queryLong(db, "SELECT count(*) FROM error_events WHERE project_id = " + p)).isEqualTo(4);
    }

    @Test
    void regressionReopensOnceWhenTwoProcessorsSeeItAtOnce() throws Exception {
        long p = ProcessorTestSupport.newProjectId();
        ErrorEventWriter writer = ProcessorTestSupport.errorWriter(100);
        apply(writer, List.of(error(p, "shop", 7, "0.9", "u1", now.minusSeconds(120))));
        apply(writer, List.of(error(p, "shop", 7, "1.0", "u1", now.minusSeconds(60))));
        ProcessorTestSupport.execute(db, "UPDATE issues SET status = 'resolved', resolved_at = now(), "
                + "resolved_in_release = '1.0' WHERE project_id = " + p);
        apply(writer, List.of(error(p, "shop", 7, "0.9", "u1", now.plusSeconds(1)))); // older release: stays resolved
        assertThat(text("SELECT status FROM issues WHERE project_id = " + p)).isEqualTo("resolved");

        int processors = 4;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(processors);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < processors; i++) {
            ErrorEvent e = error(p, "shop", 7, "1.1", "u" + i, now.plusSeconds(2));
            ErrorEventWriter own = ProcessorTestSupport.errorWriter(100);
            done.add(pool.submit(() -> {
                go.await();
                apply(own, List.of(e));
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();

        assertThat(text("SELECT status || '/' || substatus || '/' || (resolved_at IS NULL) FROM issues WHERE project_id = "
                + p)).isEqualTo("unresolved/regressed/true");
        assertThat(queryLong(db, "SELECT count(*) FROM issue_activity WHERE kind = 'regression' AND project_id = " + p))
                .isEqualTo(1);
        assertThat(text("SELECT data->>'version' || '/' || (data->>'previous_status') FROM issue_activity "
                + "WHERE kind = 'regression' AND project_id = " + p)).isEqualTo("1.1/resolved");
        assertThat(queryLong(db, "SELECT times_seen FROM issues WHERE project_id = " + p)).isEqualTo(3 + processors);
    }

    @Test
    void resolvedInNextReleaseIgnoresTheSameReleaseAndReopensOnTheNextOne() throws SQLException {
        long p = ProcessorTestSupport.newProjectId();
        ErrorEventWriter writer = ProcessorTestSupport.errorWriter(100);
        apply(writer, List.of(error(p, "shop", 3, "2.0", null, now.minusSeconds(60))));
        ProcessorTestSupport.execute(db, "UPDATE issues SET status = 'resolved_in_next_release', resolved_at = now(), "
                + "resolved_after_release = last_release WHERE project_id = " + p);
        apply(writer, List.of(error(p, "shop", 3, "2.0", null, now.plusSeconds(1))));
        assertThat(text("SELECT status FROM issues WHERE project_id = " + p)).isEqualTo("resolved_in_next_release");
        apply(writer, List.of(error(p, "shop", 3, "2.1", null, now.plusSeconds(2))));
        assertThat(text("SELECT status || '/' || substatus FROM issues WHERE project_id = " + p))
                .isEqualTo("unresolved/regressed");
    }

    @Test
    void ignoredIssuesStayIgnoredButCount() throws SQLException {
        long p = ProcessorTestSupport.newProjectId();
        ErrorEventWriter writer = ProcessorTestSupport.errorWriter(100);
        apply(writer, List.of(error(p, "shop", 4, "1.0", null, now)));
        ProcessorTestSupport.execute(db, "UPDATE issues SET status = 'ignored' WHERE project_id = " + p);
        apply(writer, List.of(error(p, "shop", 4, "9.0", null, now.plusSeconds(1))));
        assertThat(text("SELECT status || '/' || times_seen FROM issues WHERE project_id = " + p)).isEqualTo("ignored/2");
    }

    @Test
    void storedOccurrencesAreCappedPerIssueMinuteWhileCountsStayExact() throws SQLException {
        long p = ProcessorTestSupport.newProjectId();
        ErrorEventWriter writer = ProcessorTestSupport.errorWriter(3);
        Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
        List<ErrorEvent> first = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            first.add(error(p, "shop", 5, "1.0", null, minute.plusMillis(i)));
        }
        apply(writer, first);
        apply(writer, List.of(error(p, "shop", 5, "1.0", null, minute.plusMillis(10)),
                error(p, "shop", 5, "1.0", null, minute.plusSeconds(61))));

        assertThat(queryLong(db, "SELECT times_seen FROM issues WHERE project_id = " + p)).isEqualTo(7);
        assertThat(queryLong(db, "SELECT count(*) FROM error_event_ids WHERE project_id = " + p)).isEqualTo(7);
        assertThat(queryLong(db, "SELECT count(*) FROM error_events WHERE project_id = " + p)).isEqualTo(4);
        assertThat(queryLong(db, "SELECT sum(events) FROM issue_minute_counts WHERE project_id = " + p)).isEqualTo(7);
    }

    @Test
    void lateEventGetsItsDayPartitionAndPayloadIsScrubbed() throws SQLException {
        long p = ProcessorTestSupport.newProjectId();
        Instant late = now.minus(20, ChronoUnit.DAYS);
        ErrorEvent e = error(p, "shop", 6, "1.0", null, late);
        e = new ErrorEvent(e.header(), e.trace(), e.level(), "paid with 4111 1111 1111 1111", null, null, null,
                e.exceptions(), null, e.fingerprint(), e.platform(), null, null,
                new HttpRequest("GET", "https://x/", null, Map.of("Authorization", "Bearer s3cr3t"), null, null, null,
                        null), null, null);
        apply(ProcessorTestSupport.errorWriter(100), List.of(e));

        String partition = ErrorEventPartitions.tableName(ErrorEventPartitions.day(late));
        assertThat(queryLong(db, "SELECT count(*) FROM " + partition + " WHERE project_id = " + p)).isEqualTo(1);
        assertThat(queryLong(db, "SELECT count(*) FROM error_events_default")).isZero();
        String payload = text("SELECT payload::text FROM error_events WHERE project_id = " + p);
        assertThat(payload).contains("[Filtered]").doesNotContain("s3cr3t").doesNotContain("4111");
        assertThat(text("SELECT message FROM error_events WHERE project_id = " + p)).isEqualTo("paid with [Filtered]");
    }

    private static ErrorEvent withEnvironment(ErrorEvent e, String environment) {
        var h = e.header();
        var s = h.service();
        var service = new dev.beatline.model.Service(s.name(), s.version(), environment, null, null, null, null, null,
                null, null);
        return ProcessorTestSupport.withHeader(e, new dev.beatline.model.EventHeader(h.schema(), h.eventId(),
                h.projectId(), h.receivedAt(), h.timestamp(), h.source(), service, h.agent(), h.host(), h.user(),
                h.labels()), e.fingerprint());
    }
}
