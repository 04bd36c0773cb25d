package dev.beatline.processor.kafka;

import dev.beatline.model.CanonicalEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * A handler that needs each event's partition, offset and record bytes (it holds records in memory, see
 * {@link HeldRecords}, or stores the bytes as they came): the loop calls {@link #applyConsumed}; events without
 * those are refused.
 */
public interface ConsumedEventHandler extends EventBatchHandler {

    @Override
    void applyConsumed(Connection connection, List<ConsumedEvent> events) throws SQLException;

    /** Refused: this handler needs the events as consumed ({@link #applyConsumed}). */
    @Override
    default void apply(Connection connection, List<CanonicalEvent> events) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " applies consumed records only");
    }
}
