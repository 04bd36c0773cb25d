package dev.beatline.processor.traces;

import dev.beatline.model.Topics;
import dev.beatline.processor.kafka.ConsumedEvent;
import dev.beatline.processor.kafka.ConsumedEventHandler;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Second handler of the errors topic (after the error writer, in the same transaction): an error pointing to a
 * transaction the {@link TraceSampler} holds as not kept promotes it to a trace sample with its spans.
 */
public final class ErroredTransactionPromoter implements ConsumedEventHandler {

    private final TraceSampler sampler;

    public ErroredTransactionPromoter(TraceSampler sampler) {
        this.sampler = sampler;
    }

    @Override
    public String topic() {
        return Topics.ERRORS;
    }

    @Override
    public void applyConsumed(Connection c, List<ConsumedEvent> events) throws SQLException {
        sampler.promoteErrors(c, events);
    }
}
