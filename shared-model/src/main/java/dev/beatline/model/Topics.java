package dev.beatline.model;

import java.util.List;

/** Kafka topic names (versioned) and the record-key rule shared by producer and consumers. */
public final class Topics {
    public static final String ERRORS = "beatline.errors.v1";
    public static final String TRANSACTIONS = "beatline.transactions.v1";
    public static final String SPANS = "beatline.spans.v1";
    public static final String METRICSETS = "beatline.metricsets.v1";
    public static final String LOGS = "beatline.logs.v1";
    public static final String SESSIONS = "beatline.sessions.v1";
    public static final String FEEDBACK = "beatline.feedback.v1";
    public static final String CLIENT_REPORTS = "beatline.client-reports.v1";
    public static final String ATTACHMENTS = "beatline.attachments.v1";
    /** Records a processor could not decode, with the reason in headers. */
    public static final String DLQ = "beatline.dlq.v1";

    /** Every data topic, in the order the launcher creates them. */
    public static final List<String> DATA_TOPICS = List.of(ERRORS, TRANSACTIONS, SPANS, METRICSETS, LOGS, SESSIONS, FEEDBACK,
            CLIENT_REPORTS, ATTACHMENTS);
    public static final List<String> ALL = List.of(ERRORS, TRANSACTIONS, SPANS, METRICSETS, LOGS, SESSIONS, FEEDBACK,
            CLIENT_REPORTS, ATTACHMENTS, DLQ);

    private Topics() {
    }

    /** Topic for an event kind. */
    public static String forKind(EventKind kind) {
        return switch (kind) {
            case ERROR -> ERRORS;
            case TRANSACTION -> TRANSACTIONS;
            case SPAN -> SPANS;
            case METRICSET -> METRICSETS;
            case LOG -> LOGS;
            case SESSION -> SESSIONS;
            case FEEDBACK -> FEEDBACK;
            case CLIENT_REPORT -> CLIENT_REPORTS;
            case ATTACHMENT -> ATTACHMENTS;
        };
    }

    /**
     * Record key {@code projectId/serviceName}: keeps one service's events ordered on one partition and
     * spreads projects and services across partitions.
     */
    public static String recordKey(long projectId, String serviceName) {
        return projectId + "/" + (serviceName == null ? "" : serviceName);
    }
}
