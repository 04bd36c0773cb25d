package dev.beatline.model;

/** The kinds of canonical event, one Kafka topic each. */
public enum EventKind {
    ERROR, TRANSACTION, SPAN, METRICSET, LOG,
    /** Release health (Sentry sessions). */
    SESSION,
    /** End-user feedback on an error. */
    FEEDBACK,
    /** What an SDK dropped before sending. */
    CLIENT_REPORT,
    /** Metadata of files attached to events. */
    ATTACHMENT
}
