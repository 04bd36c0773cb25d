package dev.beatline.intake.sentry;

import java.time.Instant;

/**
 * What the mapper needs to know about the request besides its body.
 *
 * @param projectSlug the project's slug: the service name of events that name no service
 * @param clientIp    the sender's address (first {@code X-Forwarded-For} entry, else the connection), for
 *                    {@code {{auto}}} user addresses
 */
public record SentryRequestContext(long projectId, String projectSlug, Instant receivedAt, String clientIp) {
}
