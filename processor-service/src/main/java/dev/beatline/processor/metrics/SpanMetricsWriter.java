package dev.beatline.processor.metrics;

import dev.beatline.model.SpanEvent;
import dev.beatline.model.Topics;
import dev.beatline.processor.kafka.ConsumedEvent;
import dev.beatline.processor.kafka.ConsumedEventHandler;
import dev.beatline.processor.traces.TraceSampler;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Handler of the spans topic: dependency metrics from exit spans ({@link DependencyAggregator}) merged in the
 * batch's transaction, then the spans handed to the {@link TraceSampler} (written with their kept transaction,
 * or held in memory until it is decided). Replayed records (after a restart) only rebuild the sampler's hold:
 * no metrics. Events older than the minute retention are skipped.
 */
public final class SpanMetricsWriter implements ConsumedEventHandler {

    private final Retention retention;
    private final HistogramMetricsStore store;
    private final TraceSampler sampler;

    public SpanMetricsWriter(Retention retention, Partitions partitions, TraceSampler sampler) {
        this.retention = retention;
        this.store = new HistogramMetricsStore(partitions);
        this.sampler = sampler;
    }

    @Override
    public String topic() {
        return Topics.SPANS;
    }

    @Override
    public void applyConsumed(Connection c, List<ConsumedEvent> events) throws SQLException {
        DependencyAggregator agg = new DependencyAggregator();
        List<ConsumedEvent> current = retention.withinMinuteRetention(events, Instant.now());
        for (ConsumedEvent e : current) {
            agg.addSpan((SpanEvent) e.event());
        }
        store.merge(c, MetricTable.DEPENDENCIES, agg.dependencies());
        sampler.offerSpans(c, current);
    }

    @Override
    public void replay(Connection c, List<ConsumedEvent> events) throws SQLException {
        sampler.replaySpans(c, retention.withinMinuteRetention(events, Instant.now()));
    }
}
