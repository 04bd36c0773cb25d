package dev.beatline.model;

/**
 * What an end user wrote about an error (Sentry {@code user_report} and {@code feedback} items).
 *
 * @param associatedEventId the error event it is about (32 hex), which links it to the event's issue; null
 *                          when the feedback was sent on its own
 */
public record FeedbackEvent(
        EventHeader header,
        String associatedEventId,
        String name,
        String email,
        String comments,
        String url) implements CanonicalEvent {

    @Override
    public EventKind kind() {
        return EventKind.FEEDBACK;
    }
}
