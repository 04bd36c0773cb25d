package dev.beatline.processor.metrics;

import dev.beatline.infra.Database;
import dev.beatline.infra.SharedInfra;
import dev.beatline.model.Agent;
import dev.beatline.model.EventHeader;
import dev.beatline.model.Service;
import dev.beatline.model.SourceProtocol;
import dev.beatline.model.TraceContext;
import dev.beatline.model.TransactionEvent;
import dev.beatline.model.CanonicalEvent;
import dev.beatline.processor.kafka.EventBatchHandler;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;

/** A fresh, migrated database of the shared test PostgreSQL, and canonical events with chosen timestamps. */
public final class MetricsDatabase {

    private final Database database;

    private MetricsDatabase(Database database) {
        this.database = database;
    }

    public static MetricsDatabase migrated() {
        Database db = SharedInfra.get().newDatabase();
        Flyway.configure().dataSource(db.jdbcUrl(), db.username(), db.password()).locations("classpath:db/migration")
                .load().migrate();
        return new MetricsDatabase(db);
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
    }

    /** Applies one batch the way BatchConsumerLoop does: in one transaction, committed. */
    public void applyCommitted(EventBatchHandler handler, List<? extends CanonicalEvent> events) throws SQLException {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            handler.apply(c, List.copyOf(events));
            c.commit();
        }
    }

    public static EventHeader header(long projectId, String service, Instant timestamp) {
        return new EventHeader(EventHeader.CURRENT_SCHEMA, UUID.randomUUID().toString(), projectId, Instant.now(),
                timestamp, SourceProtocol.ELASTIC_APM,
                new Service(service, "1.0", "production", null, "java", null, null, null, null, null),
                new Agent("java", "1.55.1"), null, null, Map.of());
    }

    public static TransactionEvent transaction(long projectId, Instant timestamp, String name, String outcome,
            long durationUs, double representativeCount) {
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        return new TransactionEvent(header(projectId, "checkout", timestamp),
                new TraceContext(UUID.randomUUID().toString().replace("-", ""), id, null), id, name, "request",
                "HTTP 2xx", outcome, durationUs, true, representativeCount, 0, 0, 200, null, List.of(), null);
    }
}
