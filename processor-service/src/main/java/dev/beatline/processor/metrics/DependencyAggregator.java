package dev.beatline.processor.metrics;

import dev.beatline.model.DroppedSpanStats;
import dev.beatline.model.SpanEvent;
import dev.beatline.model.TransactionEvent;
import java.util.HashMap;
import java.util.Map;

/**
 * Aggregates outgoing calls per minute and (service, environment, span type, subtype, destination resource,
 * service target type, target name), as apm-server's service_destination metrics: from exit spans (those with a
 * service target or a destination resource) and from transactions' {@code dropped_spans_stats}. A composite span
 * counts as its {@code composite.count} with its {@code composite.sum}; every count is multiplied by the
 * representative count. Spans known only by count and sum enter the histogram at their average duration.
 * Pure; not thread-safe.
 */
public final class DependencyAggregator {

    private final Map<MetricKey, Measures> dependencies = new HashMap<>();

    public void addSpan(SpanEvent s) {
        double n = s.representativeCount();
        if (n <= 0 || (blank(s.serviceTargetType()) && blank(s.destinationServiceResource()))) {
            return;
        }
        var h = s.header();
        Measures m = dependencies.computeIfAbsent(MetricKey.of(h.projectId(), TransactionAggregator.minute(h.timestamp()),
                h.service().name(), h.service().environment(), s.type(), s.subtype(), s.destinationServiceResource(),
                s.serviceTargetType(), s.serviceTargetName()), k -> new Measures());
        if (s.compositeCount() > 1) {
            m.recordAggregate(s.compositeCount(), s.compositeSumUs(), n, s.outcome());
        } else {
            m.record(s.durationUs(), n, s.outcome());
        }
    }

    /** Dropped-spans entries of a transaction: they carry no span type, so those dimensions are empty. */
    public void addDroppedSpans(TransactionEvent t) {
        double n = t.representativeCount();
        if (n <= 0) {
            return;
        }
        var h = t.header();
        for (DroppedSpanStats d : t.droppedSpansStats()) {
            if (d.count() <= 0 || (blank(d.serviceTargetType()) && blank(d.destinationServiceResource()))) {
                continue;
            }
            dependencies.computeIfAbsent(MetricKey.of(h.projectId(), TransactionAggregator.minute(h.timestamp()),
                    h.service().name(), h.service().environment(), "", "", d.destinationServiceResource(),
                    d.serviceTargetType(), d.serviceTargetName()), k -> new Measures())
                    .recordAggregate(d.count(), d.sumUs(), n, d.outcome() == null ? "unknown" : d.outcome());
        }
    }

    public Map<MetricKey, Measures> dependencies() {
        return dependencies;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
