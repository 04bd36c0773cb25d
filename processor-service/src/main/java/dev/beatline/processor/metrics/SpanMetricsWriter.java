package dev.beatline.processor.metrics;

import dev.beatline.model.CanonicalEvent;
import dev.beatline.model.SpanEvent;
import dev.beatline.model.Topics;
import dev.beatline.processor.kafka.EventBatchHandler;
import dev.beatline.processor.traces.TraceSampler;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Handler of the spans topic: dependency metrics from exit spans ({@link DependencyAggregator}) merged in the
 * batch's transaction, then the spans handed to the {@link TraceSampler} (kept with their transaction, or
 * buffered until it is decided). Events older than the minute retention are skipped.
 */
public final class SpanMetricsWriter implements EventBatchHandler {

    private final Retention retention;
    private final HistogramMetricsStore store;
    private final TraceSampler sampler;

    public SpanMetricsWriter() {
        this(Retention.fromConfig());
    }

    public SpanMetricsWriter(Retention retention) {
        Partitions partitions = new Partitions();
        this.retention = retention;
        this.store = new HistogramMetricsStore(partitions);
        this.sampler = new TraceSampler(partitions, retention, TraceSampler.DEFAULT_PER_GROUP_MINUTE);
    }

    @Override
    public String topic() {
        return Topics.SPANS;
    }

    @Override
    public void apply(Connection c, List<CanonicalEvent> events) throws SQLException {
        Instant cutoff = retention.minuteCutoff(Instant.now());
        DependencyAggregator agg = new DependencyAggregator();
        List<SpanEvent> spans = new ArrayList<>(events.size());
        for (CanonicalEvent e : events) {
            SpanEvent s = (SpanEvent) e;
            if (!s.header().timestamp().isBefore(cutoff)) {
                agg.addSpan(s);
                spans.add(s);
            }
        }
        store.merge(c, MetricTable.DEPENDENCIES, agg.dependencies());
        sampler.offerSpans(c, spans);
    }
}
