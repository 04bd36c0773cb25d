package dev.beatline.model;

import java.util.Map;

/**
 * A span inside a transaction, e.g. a database query or an outgoing HTTP call.
 *
 * @param startOffsetUs               start relative to the transaction's start, when the agent sent it
 * @param destinationServiceResource  Elastic {@code destination.service.resource} (e.g. {@code postgresql})
 * @param serviceTargetType           target of an exit span, e.g. {@code postgresql}; derived from the resource when absent
 * @param compositeCount              spans compressed into this one; 1 for a plain span
 * @param compositeSumUs              total duration of the compressed spans
 */
public record SpanEvent(
        EventHeader header,
        TraceContext trace,
        String id,
        String name,
        String type,
        String subtype,
        String action,
        String outcome,
        long durationUs,
        Long startOffsetUs,
        double representativeCount,
        String destinationServiceResource,
        String serviceTargetType,
        String serviceTargetName,
        int compositeCount,
        long compositeSumUs,
        Map<String, Object> contexts) implements CanonicalEvent {

    public SpanEvent {
        contexts = contexts == null ? Map.of() : contexts;
        type = type == null || type.isBlank() ? "unknown" : type;
        outcome = outcome == null ? "unknown" : outcome;
        compositeCount = Math.max(compositeCount, 1);
    }

    @Override
    public EventKind kind() {
        return EventKind.SPAN;
    }
}
