package dev.beatline.processor.sentry;

import dev.beatline.model.CanonicalEvent;
import dev.beatline.model.SessionEvent;
import dev.beatline.model.Topics;
import dev.beatline.processor.kafka.EventBatchHandler;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;

/** Stores session updates and aggregate buckets for release health (table {@code release_sessions}). */
public class SessionWriter implements EventBatchHandler {

    @Override
    public String topic() {
        return Topics.SESSIONS;
    }

    @Override
    public void apply(Connection c, List<CanonicalEvent> events) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO release_sessions (project_id, event_id, release, environment, session_id, distinct_id,
                    status, init, seq, errors, started, duration_seconds, exited, errored, abnormal, crashed, received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")) {
            for (CanonicalEvent e : events) {
                SessionEvent s = (SessionEvent) e;
                ps.setLong(1, s.header().projectId());
                ps.setString(2, s.header().eventId());
                ps.setString(3, s.header().service().version() == null ? "" : s.header().service().version());
                ps.setString(4, s.header().service().environment());
                ps.setString(5, s.sessionId());
                ps.setString(6, s.distinctId());
                ps.setString(7, s.status());
                ps.setBoolean(8, s.init());
                ps.setLong(9, s.sequence());
                ps.setLong(10, s.errors());
                ps.setTimestamp(11, Timestamp.from(s.started() != null ? s.started() : s.header().timestamp()));
                if (s.durationSeconds() == null) {
                    ps.setNull(12, Types.DOUBLE);
                } else {
                    ps.setDouble(12, s.durationSeconds());
                }
                SessionEvent.SessionCounts n = s.counts();
                setCount(ps, 13, n == null ? null : n.exited());
                setCount(ps, 14, n == null ? null : n.errored());
                setCount(ps, 15, n == null ? null : n.abnormal());
                setCount(ps, 16, n == null ? null : n.crashed());
                ps.setTimestamp(17, Timestamp.from(s.header().receivedAt()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void setCount(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }
}
