package dev.beatline.processor.traces;

import static dev.beatline.processor.metrics.MetricsDatabase.transaction;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beatline.model.ErrorEvent;
import dev.beatline.model.SpanEvent;
import dev.beatline.model.TestEvents;
import dev.beatline.model.TraceContext;
import dev.beatline.model.TransactionEvent;
import dev.beatline.processor.metrics.MetricsDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Trace samples through the real span, transaction and error handlers on a real PostgreSQL. */
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
        MetricsDatabase.Traces traces = MetricsDatabase.traces(5);
        TraceHold hold = traces.sampler().hold();
        db.applyCommitted(traces.spans(), spans.subList(0, 40), hold); // spans before their transactions
        db.applyCommitted(traces.transactions(), transactions.subList(0, 20), hold);
        db.applyCommitted(traces.transactions(), transactions.subList(20, 40), hold);
        db.applyCommitted(traces.transactions(), transactions.subList(20, 40), hold); // sent again by the agent
        db.applyCommitted(traces.spans(), spans.subList(40, 80), hold); // spans after their transactions

        List<String> kept = ids("SELECT transaction_id FROM trace_samples WHERE project_id = ?");
        assertThat(kept).hasSize(5).contains(transactions.get(39).id());
        assertThat(count("SELECT count(*) FROM trace_spans WHERE project_id = ?")).isEqualTo(10);
        assertThat(ids("SELECT DISTINCT transaction_id FROM trace_spans WHERE project_id = ?"))
                .containsExactlyInAnyOrderElementsOf(kept);
        // 15..19 were kept after the first batch and evicted by slower ones: forgotten with their spans;
        // the 30 never kept wait with their spans for an error that would promote them
        assertThat(hold.heldSpans()).isEqualTo(60);
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
        MetricsDatabase.Traces traces = MetricsDatabase.traces(2);
        TraceHold hold = traces.sampler().hold();
        db.applyCommitted(traces.spans(), List.of(span(erroredAfter, "x")), hold);
        db.applyCommitted(traces.transactions(), transactions, hold);
        assertThat(ids("SELECT transaction_id FROM trace_samples WHERE project_id = ?"))
                .containsExactlyInAnyOrder(transactions.get(0).id(), transactions.get(1).id(), erroredBefore.id());

        // the error consumed after its transaction, by the same processor: promoted from the hold with its span
        db.applyCommitted(traces.errors(), List.of(errorPointingTo(erroredAfter)), hold);
        assertThat(ids("SELECT transaction_id FROM trace_samples WHERE project_id = ? AND reason = 'error'"))
                .containsExactlyInAnyOrder(erroredBefore.id(), erroredAfter.id());
        assertThat(ids("SELECT span_id FROM trace_spans WHERE project_id = ?")).containsExactly(erroredAfter.id() + "-x");
    }

    @Test
    void heldSpansPastTheHoldTimeAreDroppedAndCountedUnlessTheirTransactionWasKeptElsewhere() throws Exception {
        AtomicLong clock = new AtomicLong();
        MetricsDatabase.Traces traces = MetricsDatabase.traces(5, Duration.ofSeconds(60), clock::get);
        TraceHold hold = traces.sampler().hold();
        TransactionEvent never = transaction(project, minute, "GET /a", "success", 1_000, 1); // never arrives
        TransactionEvent elsewhere = transaction(project, minute, "GET /b", "success", 2_000, 1);
        db.applyCommitted(traces.spans(), List.of(span(never, "1"), span(never, "2"), span(elsewhere, "1")), hold);
        // another processor keeps the second transaction (as when partition counts differ)
        MetricsDatabase.Traces other = MetricsDatabase.traces(5);
        db.applyCommitted(other.transactions(), List.of(elsewhere), other.sampler().hold());

        clock.addAndGet(Duration.ofSeconds(59).toNanos());
        db.applyCommitted(traces.spans(), List.of(), hold);
        assertThat(hold.heldSpans()).isEqualTo(3);
        assertThat(hold.droppedExpired()).isZero();

        clock.addAndGet(Duration.ofSeconds(2).toNanos());
        db.applyCommitted(traces.spans(), List.of(), hold);
        assertThat(hold.heldSpans()).isZero();
        assertThat(hold.heldBytes()).isZero();
        assertThat(hold.droppedExpired()).isEqualTo(2);
        assertThat(ids("SELECT span_id FROM trace_spans WHERE project_id = ?")).containsExactly(elsewhere.id() + "-1");
    }

    @Test
    void aBatchRolledBackAfterTakingHeldSpansGivesThemBackForItsRetry() throws Exception {
        MetricsDatabase.Traces traces = MetricsDatabase.traces(5);
        TraceHold hold = traces.sampler().hold();
        TransactionEvent t = transaction(project, minute, "GET /c", "success", 3_000, 1);
        db.applyCommitted(traces.spans(), List.of(span(t, "1"), span(t, "2")), hold);
        db.applyRolledBack(traces.transactions(), List.of(t), hold); // kept, spans taken, then the commit fails
        assertThat(count("SELECT count(*) FROM trace_samples WHERE project_id = ?")).isZero();
        assertThat(hold.heldSpans()).isEqualTo(2);

        db.applyCommitted(traces.transactions(), List.of(t), hold); // the retry
        assertThat(ids("SELECT transaction_id FROM trace_samples WHERE project_id = ?")).containsExactly(t.id());
        assertThat(ids("SELECT span_id FROM trace_spans WHERE project_id = ?"))
                .containsExactlyInAnyOrder(t.id() + "-1", t.id() + "-2");
        assertThat(hold.heldSpans()).isZero();
    }

    private SpanEvent span(TransactionEvent t, String suffix) {
        return new SpanEvent(MetricsDatabase.header(project, "checkout", t.header().timestamp()),
                new TraceContext(t.trace().traceId(), t.id(), t.id()), t.id() + "-" + suffix, "SELECT", "db",
                "postgresql", "query", "success", 100, 10L, 1, "postgresql", "postgresql", null, 1, 0, null);
    }

    private ErrorEvent errorPointingTo(TransactionEvent t) {
        ErrorEvent e = TestEvents.error(project, "checkout");
        return new ErrorEvent(MetricsDatabase.header(project, "checkout", Instant.now()),
                new TraceContext(t.trace().traceId(), t.id(), t.id()), e.level(), e.message(), e.paramMessage(),
                e.loggerName(), e.culprit(), e.exceptions(), e.logStacktrace(), e.fingerprint(), e.platform(),
                t.name(), t.type(), e.request(), e.breadcrumbs(), e.contexts());
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
