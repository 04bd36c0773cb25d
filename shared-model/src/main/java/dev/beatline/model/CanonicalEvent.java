package dev.beatline.model;

/** An event as it travels on Kafka: the common header plus the kind-specific body. */
public sealed interface CanonicalEvent permits ErrorEvent, TransactionEvent, SpanEvent, MetricsetEvent, LogEvent,
        SessionEvent, FeedbackEvent, ClientReportEvent, AttachmentEvent {

    EventHeader header();

    EventKind kind();

    default String topic() {
        return Topics.forKind(kind());
    }
}
