package dev.beatline.model;

/** The kinds of canonical event, one Kafka topic each. */
public enum EventKind {
    ERROR, TRANSACTION, SPAN, METRICSET, LOG
}
