package dev.beatline.processor.metrics;

import dev.beatline.model.CanonicalEvent;
import dev.beatline.model.Topics;
import dev.beatline.model.TransactionEvent;
import dev.beatline.processor.kafka.EventBatchHandler;
import dev.beatline.processor.traces.TraceSampler;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Handler of the transactions topic: aggregates the batch in memory ({@link TransactionAggregator}) and merges
 * it into the transaction-group, service and dependency (dropped spans) tables, minute and hour, in the batch's
 * transaction — so a bucket is visible as soon as the batch commits, late events merge into their own bucket,
 * and a redelivered batch (whose transaction rolled back) never counts twice. Then offers the transactions to
 * the {@link TraceSampler}. Events older than the minute retention are skipped.
 */
public final class TransactionMetricsWriter implements EventBatchHandler {

    private final Retention retention;
    private final HistogramMetricsStore store;
    private final TraceSampler sampler;

    public TransactionMetricsWriter() {
        this(Retention.fromConfig(), TraceSampler.DEFAULT_PER_GROUP_MINUTE);
    }

    public TransactionMetricsWriter(Retention retention, int samplesPerGroupMinute) {
        Partitions partitions = new Partitions();
        this.retention = retention;
        this.store = new HistogramMetricsStore(partitions);
        this.sampler = new TraceSampler(partitions, retention, samplesPerGroupMinute);
    }

    @Override
    public String topic() {
        return Topics.TRANSACTIONS;
    }

    @Override
    public void apply(Connection c, List<CanonicalEvent> events) throws SQLException {
        Instant cutoff = retention.minuteCutoff(Instant.now());
        TransactionAggregator agg = new TransactionAggregator();
        List<TransactionEvent> transactions = new ArrayList<>(events.size());
        for (CanonicalEvent e : events) {
            TransactionEvent t = (TransactionEvent) e;
            if (!t.header().timestamp().isBefore(cutoff)) {
                agg.add(t);
                transactions.add(t);
            }
        }
        store.merge(c, MetricTable.TRANSACTIONS, agg.groups());
        store.merge(c, MetricTable.SERVICES, agg.services());
        store.merge(c, MetricTable.DEPENDENCIES, agg.dependencies());
        sampler.offerTransactions(c, transactions);
    }
}
