package dev.beatline.query.traces;

import dev.beatline.model.EventCodec;
import dev.beatline.model.EventKind;
import dev.beatline.model.SpanEvent;
import dev.beatline.model.TransactionEvent;
import dev.beatline.query.traces.TraceDtos.Trace;
import dev.beatline.query.traces.TraceDtos.TraceError;
import dev.beatline.query.traces.TraceDtos.TraceSpan;
import dev.beatline.query.traces.TraceDtos.TraceTransaction;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One trace across services: kept transactions ({@code trace_samples}), their spans ({@code trace_spans}) and the
 * error occurrences ({@code error_events}) carrying the trace id. Stored payloads are canonical events, decoded
 * with {@link EventCodec}.
 */
@ApplicationScoped
public class TraceRepository {

    private final AgroalDataSource dataSource;

    public TraceRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The trace; all lists empty when nothing of it is stored. */
    public Trace find(long projectId, String traceId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return new Trace(traceId, transactions(c, projectId, traceId), spans(c, projectId, traceId),
                    errors(c, projectId, traceId));
        }
    }

    private static List<TraceTransaction> transactions(Connection c, long projectId, String traceId) throws SQLException {
        List<TraceTransaction> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT DISTINCT ON (transaction_id) payload::text, reason FROM trace_samples"
                        + " WHERE project_id = ? AND trace_id = ? ORDER BY transaction_id")) {
            ps.setLong(1, projectId);
            ps.setString(2, traceId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TransactionEvent t = (TransactionEvent) decode(EventKind.TRANSACTION, rs.getString(1));
                    out.add(new TraceTransaction(t.id(), t.trace() == null ? null : t.trace().parentId(),
                            t.header().service() == null ? null : t.header().service().name(),
                            t.header().service() == null ? null : t.header().service().environment(), t.name(), t.type(),
                            t.result(), t.outcome(), t.header().timestamp(), t.durationUs(), rs.getString(2)));
                }
            }
        }
        out.sort(Comparator.comparing(TraceTransaction::start).thenComparing(TraceTransaction::id));
        return out;
    }

    private static List<TraceSpan> spans(Connection c, long projectId, String traceId) throws SQLException {
        List<TraceSpan> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT payload::text FROM trace_spans WHERE project_id = ? AND trace_id = ?")) {
            ps.setLong(1, projectId);
            ps.setString(2, traceId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    SpanEvent s = (SpanEvent) decode(EventKind.SPAN, rs.getString(1));
                    out.add(new TraceSpan(s.id(), s.trace() == null ? null : s.trace().transactionId(),
                            s.trace() == null ? null : s.trace().parentId(),
                            s.header().service() == null ? null : s.header().service().name(), s.name(), s.type(),
                            s.subtype(), s.action(), s.outcome(), s.header().timestamp(), s.durationUs(),
                            s.destinationServiceResource()));
                }
            }
        }
        out.sort(Comparator.comparing(TraceSpan::start).thenComparing(TraceSpan::id));
        return out;
    }

    private static List<TraceError> errors(Connection c, long projectId, String traceId) throws SQLException {
        List<TraceError> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT event_id, issue_id, transaction_id, service_name, environment, occurred_at, level, message
                  FROM error_events WHERE project_id = ? AND trace_id = ? ORDER BY occurred_at, event_id""")) {
            ps.setLong(1, projectId);
            ps.setString(2, traceId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new TraceError(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getTimestamp(6).toInstant(), rs.getString(7), rs.getString(8)));
                }
            }
        }
        return out;
    }

    private static Object decode(EventKind kind, String payload) {
        return EventCodec.decode(kind, payload.getBytes(StandardCharsets.UTF_8));
    }
}
