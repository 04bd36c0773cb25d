package dev.beatline.processor.sentry;

import dev.beatline.model.CanonicalEvent;
import dev.beatline.model.FeedbackEvent;
import dev.beatline.model.Topics;
import dev.beatline.processor.kafka.EventBatchHandler;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;

/** Stores end-user feedback with the id of the event it is about (table {@code user_feedback}). */
public class FeedbackWriter implements EventBatchHandler {

    @Override
    public String topic() {
        return Topics.FEEDBACK;
    }

    @Override
    public void apply(Connection c, List<CanonicalEvent> events) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO user_feedback (project_id, feedback_id, event_id, name, email, comments, url, received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")) {
            for (CanonicalEvent e : events) {
                FeedbackEvent f = (FeedbackEvent) e;
                ps.setLong(1, f.header().projectId());
                ps.setString(2, f.header().eventId());
                ps.setString(3, f.associatedEventId());
                ps.setString(4, f.name());
                ps.setString(5, f.email());
                ps.setString(6, f.comments());
                ps.setString(7, f.url());
                ps.setTimestamp(8, Timestamp.from(f.header().receivedAt()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
