package dev.beatline.model;

import java.util.List;

/** Data an SDK dropped before sending it (Sentry {@code client_report} item), counted per reason and category. */
public record ClientReportEvent(EventHeader header, List<Discarded> discarded) implements CanonicalEvent {

    /** {@code quantity} items of {@code category} (error, transaction, span, attachment …) dropped for {@code reason}. */
    public record Discarded(String reason, String category, long quantity) {
    }

    public ClientReportEvent {
        discarded = discarded == null ? List.of() : discarded;
    }

    @Override
    public EventKind kind() {
        return EventKind.CLIENT_REPORT;
    }
}
