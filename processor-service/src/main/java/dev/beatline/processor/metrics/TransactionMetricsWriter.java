package dev.beatline.processor.metrics;

import dev.beatline.model.Topics;
import dev.beatline.model.TransactionEvent;
import dev.beatline.processor.kafka.ConsumedEvent;
import dev.beatline.processor.kafka.ConsumedEventHandler;
import dev.beatline.processor.traces.TraceSampler;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Handler of the transactions topic: aggregates the batch in memory ({@link TransactionAggregator}) and merges
 * it into the transaction-group, service and dependency (dropped spans) tables, minute and hour, in the batch's
 * transaction — so a bucket is visible as soon as the batch commits, late events merge into their own bucket,
 * and a redelivered batch (whose transaction rolled back) never counts twice. Then offers the transactions to
 * the {@link TraceSampler}. Replayed records (after a restart) only rebuild the sampler's hold: no metrics.
 * Events older than the minute retention are skipped.
 */
public final class TransactionMetricsWriter implements ConsumedEventHandler {

    private final Retention retention;
    private final HistogramMetricsStore store;
    private final TraceSampler sampler;

    public TransactionMetricsWriter(Retention retention, Partitions partitions, TraceSampler sampler) {
        this.retention = retention;
        this.store = new HistogramMetricsStore(partitions);
        this.sampler = sampler;
    }

    @Override
    public String topic() {
        return Topics.TRANSACTIONS;
    }

    @Override
    public void applyConsumed(Connection c, List<ConsumedEvent> events) throws SQLException {
        TransactionAggregator agg = new TransactionAggregator();
        List<ConsumedEvent> current = retention.withinMinuteRetention(events, Instant.now());
        for (ConsumedEvent e : current) {
            agg.add((TransactionEvent) e.event());
        }
        store.merge(c, MetricTable.TRANSACTIONS, agg.groups());
        store.merge(c, MetricTable.SERVICES, agg.services());
        store.merge(c, MetricTable.DEPENDENCIES, agg.dependencies());
        sampler.offerTransactions(c, current);
    }

    @Override
    public void replay(Connection c, List<ConsumedEvent> events) throws SQLException {
        sampler.replayTransactions(c, retention.withinMinuteRetention(events, Instant.now()));
    }
}
