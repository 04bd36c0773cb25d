package dev.beatline.query.issues;

import java.time.Instant;
import java.util.List;

/**
 * An issue as the list shows it, with its workflow state: resolvedAt, resolvedInRelease (status resolved in a
 * release), resolvedAfterRelease (status resolved_in_next_release: the release current when it was resolved).
 */
public record IssueSummary(
        long id,
        String title,
        String culprit,
        String level,
        String type,
        String platform,
        String service,
        String status,
        String substatus,
        Instant firstSeen,
        Instant lastSeen,
        long timesSeen,
        long usersAffected,
        String firstRelease,
        String lastRelease,
        String fingerprint,
        List<String> environments,
        String assignee,
        Instant resolvedAt,
        String resolvedInRelease,
        String resolvedAfterRelease) {
}
