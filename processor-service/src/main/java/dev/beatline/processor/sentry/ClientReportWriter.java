package dev.beatline.processor.sentry;

import dev.beatline.model.CanonicalEvent;
import dev.beatline.model.ClientReportEvent;
import dev.beatline.model.Topics;
import dev.beatline.processor.kafka.EventBatchHandler;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;

/** Stores what SDKs report they dropped, per reason and category (table {@code client_discards}). */
public class ClientReportWriter implements EventBatchHandler {

    @Override
    public String topic() {
        return Topics.CLIENT_REPORTS;
    }

    @Override
    public void apply(Connection c, List<CanonicalEvent> events) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO client_discards (project_id, report_id, reason, category, quantity, received_at)
                VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")) {
            for (CanonicalEvent e : events) {
                ClientReportEvent r = (ClientReportEvent) e;
                for (ClientReportEvent.Discarded d : r.discarded()) {
                    ps.setLong(1, r.header().projectId());
                    ps.setString(2, r.header().eventId());
                    ps.setString(3, d.reason());
                    ps.setString(4, d.category());
                    ps.setLong(5, d.quantity());
                    ps.setTimestamp(6, Timestamp.from(r.header().receivedAt()));
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }
}
