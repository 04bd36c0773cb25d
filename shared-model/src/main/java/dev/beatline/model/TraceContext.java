package dev.beatline.model;

/**
 * Where an event sits in a distributed trace.
 *
 * @param traceId       32 hex chars for W3C traces, but any agent id is accepted
 * @param transactionId the transaction (Sentry: the segment/root span) the event belongs to
 * @param parentId      the span or transaction that is the event's parent
 */
public record TraceContext(String traceId, String transactionId, String parentId) {
}
