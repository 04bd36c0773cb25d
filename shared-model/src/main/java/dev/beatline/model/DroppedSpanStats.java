package dev.beatline.model;

/** Aggregate of spans an agent dropped (Elastic {@code dropped_spans_stats}): they still count as dependency calls. */
public record DroppedSpanStats(
        String destinationServiceResource,
        String serviceTargetType,
        String serviceTargetName,
        String outcome,
        long count,
        long sumUs) {
}
