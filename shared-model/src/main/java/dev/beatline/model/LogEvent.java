package dev.beatline.model;

import java.util.Map;

/** A log record shipped by an agent (Elastic {@code log} lines, later OTLP logs). */
public record LogEvent(
        EventHeader header,
        TraceContext trace,
        String message,
        String level,
        String logger,
        Map<String, Object> fields) implements CanonicalEvent {

    public LogEvent {
        fields = fields == null ? Map.of() : fields;
    }

    @Override
    public EventKind kind() {
        return EventKind.LOG;
    }
}
