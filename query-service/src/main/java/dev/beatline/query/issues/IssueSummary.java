package dev.beatline.query.issues;

import java.time.Instant;

/** An issue as the list shows it. */
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
        String fingerprint) {
}
