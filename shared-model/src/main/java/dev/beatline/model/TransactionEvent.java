package dev.beatline.model;

import java.util.List;
import java.util.Map;

/**
 * A transaction: the entry span of a service for one request or job.
 *
 * @param outcome             {@code success|failure|unknown} as sent or derived by the intake
 * @param durationUs          duration in microseconds
 * @param representativeCount how many transactions this one stands for ({@code 1/sample_rate}; 0 when the
 *                            sample rate was 0, 1 when absent) — metrics count with it
 * @param statusCode          the HTTP response status, when there is one
 * @param contexts            remaining context for display (response, custom, tags, Sentry contexts …)
 */
public record TransactionEvent(
        EventHeader header,
        TraceContext trace,
        String id,
        String name,
        String type,
        String result,
        String outcome,
        long durationUs,
        boolean sampled,
        double representativeCount,
        int spansStarted,
        int spansDropped,
        Integer statusCode,
        HttpRequest request,
        List<DroppedSpanStats> droppedSpansStats,
        Map<String, Object> contexts) implements CanonicalEvent {

    public TransactionEvent {
        droppedSpansStats = droppedSpansStats == null ? List.of() : droppedSpansStats;
        contexts = contexts == null ? Map.of() : contexts;
        type = type == null || type.isBlank() ? "unknown" : type;
        outcome = outcome == null ? "unknown" : outcome;
    }

    @Override
    public EventKind kind() {
        return EventKind.TRANSACTION;
    }

    /** A transaction without parent starts its trace. */
    public boolean isRoot() {
        return trace == null || trace.parentId() == null;
    }
}
