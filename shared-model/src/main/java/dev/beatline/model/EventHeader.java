package dev.beatline.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What every canonical event carries, whatever its kind and source: identity, tenancy, timing and the
 * metadata the intake merged in (service, agent, host, user, labels).
 *
 * @param schema     version of the canonical format, {@link #CURRENT_SCHEMA} when written by this build
 * @param eventId    the agent's id for the event (Elastic {@code id}, Sentry {@code event_id}), unique per project
 * @param projectId  the project the ingest key belongs to
 * @param receivedAt when the intake received the request
 * @param timestamp  when the event happened (the agent's timestamp; the receive time when absent)
 * @param labels     global and event labels merged (event labels win); values are strings, numbers or booleans
 */
public record EventHeader(
        int schema,
        String eventId,
        long projectId,
        Instant receivedAt,
        Instant timestamp,
        SourceProtocol source,
        Service service,
        Agent agent,
        Host host,
        User user,
        Map<String, Object> labels) {

    public static final int CURRENT_SCHEMA = 1;

    public EventHeader {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(service, "service");
        if (timestamp == null) {
            timestamp = receivedAt;
        }
        labels = labels == null ? Map.of() : labels;
    }

    /** Kafka record key of this event. */
    public String recordKey() {
        return Topics.recordKey(projectId, service.name());
    }
}
