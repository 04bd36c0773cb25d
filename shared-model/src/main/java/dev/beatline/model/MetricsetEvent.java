package dev.beatline.model;

import java.util.Map;

/**
 * Agent metrics at one instant (JVM memory, CPU, custom, span breakdown).
 *
 * @param name {@code app} for plain metricsets, {@code span_breakdown} for breakdown metricsets
 */
public record MetricsetEvent(
        EventHeader header,
        String name,
        Map<String, MetricSample> samples,
        String transactionName,
        String transactionType,
        String spanType,
        String spanSubtype) implements CanonicalEvent {

    public MetricsetEvent {
        samples = samples == null ? Map.of() : samples;
    }

    @Override
    public EventKind kind() {
        return EventKind.METRICSET;
    }
}
