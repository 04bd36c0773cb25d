package dev.beatline.model;

import java.time.Instant;

/**
 * Release health: one session update (Sentry {@code session} item) or one pre-aggregated bucket of sessions
 * (an entry of a Sentry {@code sessions} item). The release and environment are in
 * {@link EventHeader#service()}; {@link EventHeader#eventId()} is unique per update
 * ({@code sid/seq} for updates, derived from the bucket for aggregates) so a redelivery is applied once.
 *
 * @param sessionId  the session id ({@code sid}); null for an aggregate bucket
 * @param distinctId the user or installation ({@code did}); may be null
 * @param status     {@code ok|exited|crashed|abnormal|errored} for an update; null for an aggregate
 * @param init       true on the first update of a session
 * @param sequence   the update's sequence number ({@code seq}); later updates win
 * @param errors     errors seen in the session so far
 * @param started    when the session (or the bucket) started
 * @param durationSeconds the session duration when sent
 * @param counts     for an aggregate bucket, the sessions per final status; null for an update
 */
public record SessionEvent(
        EventHeader header,
        String sessionId,
        String distinctId,
        String status,
        boolean init,
        long sequence,
        long errors,
        Instant started,
        Double durationSeconds,
        SessionCounts counts) implements CanonicalEvent {

    /** Sessions of one aggregate bucket by outcome. */
    public record SessionCounts(long exited, long errored, long abnormal, long crashed) {
    }

    @Override
    public EventKind kind() {
        return EventKind.SESSION;
    }
}
