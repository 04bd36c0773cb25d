package dev.beatline.processor.metrics;

import dev.beatline.model.CanonicalEvent;
import dev.beatline.model.Topics;
import dev.beatline.model.TransactionEvent;
import dev.beatline.processor.kafka.EventBatchHandler;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;

/**
 * Merges a batch's per-minute transaction aggregates into {@code transaction_metrics} in the batch's
 * transaction, so a bucket is visible as soon as the batch commits and a redelivered batch (whose
 * transaction rolled back) never counts twice.
 */
public final class TransactionMetricsWriter implements EventBatchHandler {

    @Override
    public String topic() {
        return Topics.TRANSACTIONS;
    }

    @Override
    public void apply(Connection c, List<CanonicalEvent> events) throws SQLException {
        TransactionAggregator agg = new TransactionAggregator();
        for (CanonicalEvent e : events) {
            agg.add((TransactionEvent) e);
        }
        if (agg.groups().isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO transaction_metrics AS t (project_id, bucket, service_name, environment, transaction_type,
                       transaction_name, result, outcome, count, failure_count, sum_us, min_us, max_us)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (project_id, service_name, environment, transaction_type, transaction_name, result,
                             outcome, bucket)
                DO UPDATE SET count = t.count + EXCLUDED.count, failure_count = t.failure_count + EXCLUDED.failure_count,
                              sum_us = t.sum_us + EXCLUDED.sum_us, min_us = LEAST(t.min_us, EXCLUDED.min_us),
                              max_us = GREATEST(t.max_us, EXCLUDED.max_us)""")) {
            for (Map.Entry<TransactionAggregator.GroupKey, TransactionAggregator.Stats> e : agg.groups().entrySet()) {
                var k = e.getKey();
                var s = e.getValue();
                ps.setLong(1, k.projectId());
                ps.setTimestamp(2, Timestamp.from(k.bucket()));
                ps.setString(3, k.service());
                ps.setString(4, k.environment());
                ps.setString(5, k.type());
                ps.setString(6, k.name());
                ps.setString(7, k.result());
                ps.setString(8, k.outcome());
                ps.setDouble(9, s.count());
                ps.setDouble(10, s.failures());
                ps.setDouble(11, s.sumUs());
                ps.setLong(12, s.minUs());
                ps.setLong(13, s.maxUs());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
