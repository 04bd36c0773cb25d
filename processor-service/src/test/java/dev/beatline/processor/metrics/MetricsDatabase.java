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
import dev.beatline.model.EventCodec;
import dev.beatline.processor.kafka.ConsumedEvent;
import dev.beatline.processor.kafka.EventBatchHandler;
import dev.beatline.processor.kafka.HeldRecords;
import dev.beatline.processor.traces.ErroredTransactionPromoter;
import dev.beatline.processor.traces.TraceHold;
import dev.beatline.processor.traces.TraceSampler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
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

    /** The metric writers and the error promoter sharing one trace sampler, as the processor wires them. */
    public record Traces(TraceSampler sampler, TransactionMetricsWriter transactions, SpanMetricsWriter spans,
            ErroredTransactionPromoter errors) {
    }

    /** {@link Traces} keeping {@code perGroupMinute} samples, holding for {@code holdTime}, on {@code clock}. */
    public static Traces traces(int perGroupMinute, Duration holdTime, LongSupplier clock) {
        TraceSampler sampler = new TraceSampler(new Partitions(), Retention.DEFAULTS, perGroupMinute,
                new TraceHold(holdTime, 64 << 20), clock);
        Partitions partitions = new Partitions();
        return new Traces(sampler, new TransactionMetricsWriter(Retention.DEFAULTS, partitions, sampler),
                new SpanMetricsWriter(Retention.DEFAULTS, partitions, sampler), new ErroredTransactionPromoter(sampler));
    }

    /** {@link Traces} keeping {@code perGroupMinute} samples with the default hold, on the system clock. */
    public static Traces traces(int perGroupMinute) {
        return traces(perGroupMinute, Duration.ofSeconds(60), System::nanoTime);
    }

    /**
     * Applies one batch the way BatchConsumerLoop does: in one transaction, committed; each event as consumed
     * from partition 0 of the handler's topic at the next offset, with its encoded bytes. The handler's hold (if
     * any) follows the commit.
     */
    public void applyCommitted(EventBatchHandler handler, List<? extends CanonicalEvent> events, HeldRecords hold)
            throws SQLException {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try {
                handler.applyConsumed(c, consumed(handler.topic(), events));
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                if (hold != null) {
                    hold.rolledBack();
                }
                throw e;
            }
        }
        if (hold != null) {
            hold.committed();
        }
    }

    /** {@link #applyCommitted(EventBatchHandler, List, HeldRecords)} of a handler without held state. */
    public void applyCommitted(EventBatchHandler handler, List<? extends CanonicalEvent> events) throws SQLException {
        applyCommitted(handler, events, null);
    }

    /** Builds the hour rows of every hour closed by {@code now} (the processor's {@link HourRollup} job). */
    public int rollUpHours(Instant now) throws SQLException {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            int total = 0;
            for (int n; (n = new HourRollup(new Partitions(), Retention.DEFAULTS).rollUp(c, now, Duration.ZERO)) > 0; ) {
                total += n;
            }
            c.commit();
            return total;
        }
    }

    /** Applies one batch whose transaction then fails before its commit (rolled back, hold included). */
    public void applyRolledBack(EventBatchHandler handler, List<? extends CanonicalEvent> events, HeldRecords hold)
            throws SQLException {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            handler.applyConsumed(c, consumed(handler.topic(), events));
            c.rollback();
        }
        hold.rolledBack();
    }

    /** The events as records consumed from partition 0 of {@code topic}, at increasing offsets. */
    public static List<ConsumedEvent> consumed(String topic, List<? extends CanonicalEvent> events) {
        TopicPartition tp = new TopicPartition(topic, 0);
        List<ConsumedEvent> out = new ArrayList<>(events.size());
        for (CanonicalEvent e : events) {
            out.add(new ConsumedEvent(e, tp, OFFSETS.computeIfAbsent(topic, t -> new AtomicLong()).getAndIncrement(),
                    EventCodec.encode(e)));
        }
        return out;
    }

    private static final Map<String, AtomicLong> OFFSETS = new ConcurrentHashMap<>();

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
