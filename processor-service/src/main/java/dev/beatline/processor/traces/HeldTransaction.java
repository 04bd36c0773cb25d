package dev.beatline.processor.traces;

import dev.beatline.processor.metrics.MetricKey;
import java.time.Instant;

/**
 * What a transaction needs to be written to {@code trace_samples}: its group (project, minute, service,
 * environment, type, name), ids, duration, time and JSON as consumed.
 */
public record HeldTransaction(MetricKey group, String id, String traceId, long durationUs, Instant occurredAt,
        String serviceName, byte[] payload) {
}
