package dev.beatline.processor.kafka;

import dev.beatline.model.CanonicalEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies the decoded events of one topic from one consumed batch, inside the batch's PostgreSQL transaction
 * (the caller commits, together with the offsets). Must be idempotent per event id, because a batch whose
 * transaction failed is applied again.
 */
public interface EventBatchHandler {

    /** The topic whose events this handler applies. */
    String topic();

    void apply(Connection connection, List<CanonicalEvent> events) throws SQLException;

    /**
     * {@link #apply} with each event's partition, offset and record bytes; handlers that hold records in memory
     * ({@link HeldRecords}) or store the bytes as they came override it.
     */
    default void applyConsumed(Connection connection, List<ConsumedEvent> events) throws SQLException {
        List<CanonicalEvent> plain = new ArrayList<>(events.size());
        events.forEach(e -> plain.add(e.event()));
        apply(connection, plain);
    }

    /**
     * Records already applied, re-read after an assignment only to rebuild {@link HeldRecords} state: nothing may
     * be counted again, and only idempotent writes are allowed. Ignored by default.
     */
    default void replay(Connection connection, List<ConsumedEvent> events) throws SQLException {
    }
}
