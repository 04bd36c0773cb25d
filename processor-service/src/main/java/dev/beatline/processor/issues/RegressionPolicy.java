package dev.beatline.processor.issues;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Decides whether new events reopen a resolved issue (Sentry's {@code GroupResolution.has_resolution}). Releases
 * are ordered by version when both are {@code package@version} of one package ({@link ReleaseVersion}), else by
 * when they were first seen, as Sentry does for semver and other releases. Pure; the rules are documented in the
 * V100 migration ("after" meaning this order):
 * <ul>
 * <li>{@code resolved} without release: an event received after the resolution reopens it;</li>
 * <li>{@code resolved} in release R: an event from R, or from a release after R, reopens it;</li>
 * <li>{@code resolved_in_next_release} after release C: an event from a release other than C and after C reopens
 * it;</li>
 * <li>events without a release never reopen a release-bound resolution; {@code unresolved} and
 * {@code ignored} issues are never reopened.</li>
 * </ul>
 */
public final class RegressionPolicy {

    /** The resolution state of an issue as read under its row lock. */
    public record Resolution(String status, Instant resolvedAt, String resolvedInRelease, String resolvedAfterRelease) {

        public boolean isResolved() {
            return IssueStatus.RESOLVED.equals(status) || IssueStatus.RESOLVED_IN_NEXT_RELEASE.equals(status);
        }
    }

    /** A new (not duplicate) event of the issue. */
    public record Candidate(String eventId, String release, Instant receivedAt) {
    }

    private RegressionPolicy() {
    }

    /**
     * The first of {@code events} that reopens the issue, or null.
     *
     * @param releaseFirstSeen when a release of the issue's project was first seen; null when never
     */
    public static Candidate firstRegressing(Resolution r, List<Candidate> events,
            Function<String, Instant> releaseFirstSeen) {
        if (!r.isResolved()) {
            return null;
        }
        for (Candidate e : events) {
            if (reopens(r, e, releaseFirstSeen)) {
                return e;
            }
        }
        return null;
    }

    static boolean reopens(Resolution r, Candidate e, Function<String, Instant> releaseFirstSeen) {
        if (IssueStatus.RESOLVED.equals(r.status()) && r.resolvedInRelease() == null) {
            return r.resolvedAt() == null || e.receivedAt().isAfter(r.resolvedAt());
        }
        if (e.release() == null) {
            return false;
        }
        Instant eventRelease = firstSeen(releaseFirstSeen, e.release(), e.receivedAt());
        if (IssueStatus.RESOLVED.equals(r.status())) {
            return e.release().equals(r.resolvedInRelease()) || newer(e.release(), eventRelease, r.resolvedInRelease(),
                    firstSeen(releaseFirstSeen, r.resolvedInRelease(), r.resolvedAt()));
        }
        // resolved in next release
        if (r.resolvedAfterRelease() == null) {
            return r.resolvedAt() == null || eventRelease.isAfter(r.resolvedAt());
        }
        return !e.release().equals(r.resolvedAfterRelease()) && newer(e.release(), eventRelease,
                r.resolvedAfterRelease(), firstSeen(releaseFirstSeen, r.resolvedAfterRelease(), r.resolvedAt()));
    }

    /**
     * Whether release {@code a} comes after {@code b}: by version when both are versions of one package
     * ({@link ReleaseVersion}), otherwise by when each was first seen.
     */
    static boolean newer(String a, Instant aFirstSeen, String b, Instant bFirstSeen) {
        Optional<ReleaseVersion> va = ReleaseVersion.parse(a);
        Optional<ReleaseVersion> vb = ReleaseVersion.parse(b);
        if (va.isPresent() && vb.isPresent() && va.get().comparableWith(vb.get())) {
            return va.get().compareTo(vb.get()) > 0;
        }
        return aFirstSeen.isAfter(bFirstSeen);
    }

    private static Instant firstSeen(Function<String, Instant> releaseFirstSeen, String release, Instant fallback) {
        Instant t = releaseFirstSeen.apply(release);
        return t != null ? t : fallback == null ? Instant.EPOCH : fallback;
    }
}
