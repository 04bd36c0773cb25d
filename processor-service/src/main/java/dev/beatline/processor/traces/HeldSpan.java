package dev.beatline.processor.traces;

import java.time.Instant;

/** What a held span needs to be written to {@code trace_spans}: its ids, time and JSON as consumed. */
public record HeldSpan(String spanId, String traceId, Instant occurredAt, byte[] payload) {
}
