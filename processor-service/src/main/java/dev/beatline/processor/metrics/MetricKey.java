package dev.beatline.processor.metrics;

import java.time.Instant;
import java.util.List;

/**
 * One row of a histogram metrics table: project, time bucket and the table's dimension values (in the order
 * of {@link MetricTable#dimensions()}; empty string for "not sent"). Ordered, so writers lock rows in one
 * global order.
 */
public record MetricKey(long projectId, Instant bucket, List<String> dimensions) implements Comparable<MetricKey> {

    public MetricKey {
        dimensions = List.copyOf(dimensions);
    }

    public static MetricKey of(long projectId, Instant bucket, String... dimensions) {
        String[] values = new String[dimensions.length];
        for (int i = 0; i < dimensions.length; i++) {
            values[i] = dimensions[i] == null ? "" : dimensions[i];
        }
        return new MetricKey(projectId, bucket, List.of(values));
    }

    /** The same dimensions in another bucket (e.g. the hour of a minute). */
    public MetricKey withBucket(Instant other) {
        return new MetricKey(projectId, other, dimensions);
    }

    @Override
    public int compareTo(MetricKey o) {
        int c = Long.compare(projectId, o.projectId);
        for (int i = 0; c == 0 && i < dimensions.size(); i++) {
            c = dimensions.get(i).compareTo(o.dimensions.get(i));
        }
        return c != 0 ? c : bucket.compareTo(o.bucket);
    }
}
