package dev.beatline.model;

/**
 * Metadata of a file an SDK attached to an event (Sentry {@code attachment} item); the content itself is
 * not kept.
 *
 * @param associatedEventId the event the file belongs to (envelope {@code event_id}); may be null
 * @param attachmentType    {@code event.attachment}, {@code event.minidump}, {@code event.view_hierarchy} …
 * @param sizeBytes         the payload size in bytes
 */
public record AttachmentEvent(
        EventHeader header,
        String associatedEventId,
        String filename,
        String contentType,
        String attachmentType,
        long sizeBytes) implements CanonicalEvent {

    @Override
    public EventKind kind() {
        return EventKind.ATTACHMENT;
    }
}
