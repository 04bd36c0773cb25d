package dev.beatline.processor.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.beatline.model.CanonicalEvent;
import dev.beatline.model.EventCodec;
import dev.beatline.model.MetricSample;
import dev.beatline.model.MetricsetEvent;
import dev.beatline.model.Topics;
import dev.beatline.processor.kafka.EventBatchHandler;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Handler of the metricsets topic: stores each sample of an agent metricset (JVM memory, CPU, custom, span
 * breakdown) as a point of a time series in {@code agent_metrics}, keyed by project, service, environment,
 * sample name, timestamp and labels. The breakdown dimensions (transaction name/type, span type/subtype) are
 * labels. Redelivery writes the same key again and is ignored. Events older than the retention are skipped.
 */
public final class AgentMetricsWriter implements EventBatchHandler {

    private static final String TABLE = "agent_metrics";

    private final Retention retention;
    private final Partitions partitions = new Partitions();

    public AgentMetricsWriter() {
        this(Retention.fromConfig());
    }

    public AgentMetricsWriter(Retention retention) {
        this.retention = retention;
    }

    @Override
    public String topic() {
        return Topics.METRICSETS;
    }

    @Override
    public void apply(Connection c, List<CanonicalEvent> events) throws SQLException {
        Instant cutoff = retention.agentMetricsCutoff(Instant.now());
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO agent_metrics (project_id, service_name, environment, name, ts, labels, metricset, type,
                       unit, value, hist_values, hist_counts)
                VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")) {
            int rows = 0;
            for (CanonicalEvent e : events) {
                MetricsetEvent m = (MetricsetEvent) e;
                Instant ts = m.header().timestamp();
                if (ts.isBefore(cutoff) || m.samples().isEmpty()) {
                    continue;
                }
                partitions.ensure(c, TABLE, Partitions.Period.DAY, ts);
                String labels = labels(m);
                for (Map.Entry<String, MetricSample> s : m.samples().entrySet()) {
                    MetricSample sample = s.getValue();
                    ps.setLong(1, m.header().projectId());
                    ps.setString(2, m.header().service().name());
                    ps.setString(3, nz(m.header().service().environment()));
                    ps.setString(4, s.getKey());
                    ps.setObject(5, OffsetDateTime.ofInstant(ts, ZoneOffset.UTC));
                    ps.setString(6, labels);
                    ps.setString(7, m.name() == null ? "app" : m.name());
                    ps.setString(8, sample.type());
                    ps.setString(9, sample.unit());
                    if (sample.value() == null) {
                        ps.setNull(10, Types.DOUBLE);
                    } else {
                        ps.setDouble(10, sample.value());
                    }
                    ps.setArray(11, sample.values() == null ? null : c.createArrayOf("float8", sample.values().toArray()));
                    ps.setArray(12, sample.counts() == null ? null : c.createArrayOf("int8", sample.counts().toArray()));
                    ps.addBatch();
                    rows++;
                }
            }
            if (rows > 0) {
                ps.executeBatch();
            }
        }
    }

    private static String labels(MetricsetEvent m) {
        Map<String, Object> labels = new TreeMap<>(m.header().labels());
        putIfSet(labels, "transaction.name", m.transactionName());
        putIfSet(labels, "transaction.type", m.transactionType());
        putIfSet(labels, "span.type", m.spanType());
        putIfSet(labels, "span.subtype", m.spanSubtype());
        try {
            return EventCodec.mapper().writeValueAsString(labels);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("labels of metricset " + m.header().eventId() + " are not JSON", e);
        }
    }

    private static void putIfSet(Map<String, Object> labels, String key, String value) {
        if (value != null && !value.isEmpty()) {
            labels.put(key, value);
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
