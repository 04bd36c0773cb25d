package dev.beatline.processor.traces;

import static dev.beatline.processor.metrics.MetricsDatabase.transaction;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beatline.model.SpanEvent;
import dev.beatline.model.TraceContext;
import dev.beatline.model.TransactionEvent;
import dev.beatline.processor.metrics.MetricsDatabase;
import dev.beatline.processor.metrics.Partitions;
import dev.beatline.processor.metrics.Retention;
import dev.beatline.processor.metrics.SpanMetricsWriter;
import dev.beatline.processor.metrics.TransactionMetricsWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Trace samples through the real span and transaction handlers on a real PostgreSQL. */
class TraceSamplerIT {

    private static MetricsDatabase db;
    private static long nextProject = 100;

    private final long project = nextProject++;
    private final Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(1, ChronoUnit.MINUTES);

    @BeforeAll
    static void migrate() {
        db = MetricsDatabase.migrated();
    }

    @Test
    void keepsABoundedSampleWithTheSlowestAndTheirSpansArrivingFirst() throws Exception {
        List<TransactionEvent> transactions = new ArrayList<>();
        List<SpanEvent> spans = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            TransactionEvent t = transaction(project, minute.plusSeconds(i), "GET /cart", "success", 1_000 + i * 100L, 1);
            transactions.add(t);
            spans.add(span(t, "a"));
            spans.add(span(t, "b"));
        }
        TransactionMetricsWriter txWriter = new TransactionMetricsWriter(Retention.DEFAULTS, 5);
        SpanMetricsWriter spanWriter = new SpanMetricsWriter(Retention.DEFAULTS);
        db.applyCommitted(spanWriter, spans.subList(0, 40)); // spans before their transactions
        db.applyCommitted(txWriter, transactions.subList(0, 20));
        db.applyCommitted(txWriter, transactions.subList(20, 40));
        db.applyCommitted(txWriter, transactions.subList(20, 40)); // redelivered
        db.applyCommitted(spanWriter, spans.subList(40, 80)); // spans after their transactions

        List<String> kept = ids("SELECT transaction_id FROM trace_samples WHERE project_id = ?");
        assertThat(kept).hasSize(5).contains(transactions.get(39).id());
        assertThat(count("SELECT count(*) FROM trace_spans WHERE project_id = ?")).isEqualTo(10);
        assertThat(ids("SELECT DISTINCT transaction_id FROM trace_spans WHERE project_id = ?"))
                .containsExactlyInAnyOrderElementsOf(kept);
    }

    @Test
    void keepsTransactionsAnErrorPointsToBeforeOrAfterThem() throws Exception {
        List<TransactionEvent> transactions = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            transactions.add(transaction(project, minute, "POST /order", "failure", 50_000 - i, 1));
        }
        TransactionEvent erroredBefore = transactions.get(8);
        TransactionEvent erroredAfter = transactions.get(9);
        insertError(erroredBefore, "err-1");
        TransactionMetricsWriter writer = new TransactionMetricsWriter(Retention.DEFAULTS, 2);
        db.applyCommitted(new SpanMetricsWriter(Retention.DEFAULTS), List.of(span(erroredAfter, "x")));
        db.applyCommitted(writer, transactions);
        assertThat(ids("SELECT transaction_id FROM trace_samples WHERE project_id = ?"))
                .containsExactlyInAnyOrder(transactions.get(0).id(), transactions.get(1).id(), erroredBefore.id());

        Instant before = Instant.now().minusSeconds(1);
        insertError(erroredAfter, "err-2");
        TraceSampler sampler = new TraceSampler(new Partitions(), Retention.DEFAULTS, 2);
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            sampler.promoteErrored(c, before, Duration.ZERO, 100);
            c.commit();
        }
        assertThat(ids("SELECT transaction_id FROM trace_samples WHERE project_id = ? AND reason = 'error'"))
                .containsExactlyInAnyOrder(erroredBefore.id(), erroredAfter.id());
        assertThat(ids("SELECT span_id FROM trace_spans WHERE project_id = ?")).containsExactly(erroredAfter.id() + "-x");
    }

    private SpanEvent span(TransactionEvent t, String suffix) {
        return new SpanEvent(MetricsDatabase.header(project, "checkout", t.header().timestamp()),
                new TraceContext(t.trace().traceId(), t.id(), t.id()), t.id() + "-" + suffix, "SELECT", "db",
                "postgresql", "query", "success", 100, 10L, 1, "postgresql", "postgresql", null, 1, 0, null);
    }

    private void insertError(TransactionEvent t, String id) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO error_events (project_id, event_id, issue_id, occurred_at, received_at, level, trace_id,
                       transaction_id, payload) VALUES (?, ?, 1, now(), now(), 'error', ?, ?, '{}')""")) {
            ps.setLong(1, project);
            ps.setString(2, id + "-" + project);
            ps.setString(3, t.trace().traceId());
            ps.setString(4, t.id());
            ps.executeUpdate();
        }
    }

    private List<String> ids(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private long count(String sql) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
