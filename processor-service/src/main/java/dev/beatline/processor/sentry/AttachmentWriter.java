package dev.beatline.processor.sentry;

import dev.beatline.model.AttachmentEvent;
import dev.beatline.model.CanonicalEvent;
import dev.beatline.model.Topics;
import dev.beatline.processor.kafka.EventBatchHandler;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;

/** Stores attachment metadata (table {@code event_attachments}); the content is not kept. */
public class AttachmentWriter implements EventBatchHandler {

    @Override
    public String topic() {
        return Topics.ATTACHMENTS;
    }

    @Override
    public void apply(Connection c, List<CanonicalEvent> events) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO event_attachments (project_id, attachment_id, event_id, filename, content_type,
                    attachment_type, size_bytes, received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")) {
            for (CanonicalEvent e : events) {
                AttachmentEvent a = (AttachmentEvent) e;
                ps.setLong(1, a.header().projectId());
                ps.setString(2, a.header().eventId());
                ps.setString(3, a.associatedEventId());
                ps.setString(4, a.filename());
                ps.setString(5, a.contentType());
                ps.setString(6, a.attachmentType());
                ps.setLong(7, a.sizeBytes());
                ps.setTimestamp(8, Timestamp.from(a.header().receivedAt()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
