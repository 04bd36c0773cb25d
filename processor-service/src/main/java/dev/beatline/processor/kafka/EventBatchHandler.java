package dev.beatline.processor.kafka;

import dev.beatline.model.CanonicalEvent;
import java.sql.Connection;
import java.sql.SQLException;
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
}
