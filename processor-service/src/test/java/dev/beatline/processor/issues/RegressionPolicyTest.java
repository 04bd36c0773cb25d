package dev.beatline.processor.issues;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beatline.processor.issues.RegressionPolicy.Candidate;
import dev.beatline.processor.issues.RegressionPolicy.Resolution;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegressionPolicyTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final Map<String, Instant> FIRST_SEEN = Map.of("1.0", T0, "1.1", T0.plusSeconds(100),
            "1.2", T0.plusSeconds(200));
    private static final Instant RESOLVED_AT = T0.plusSeconds(150);

    private static boolean reopens(Resolution r, String release, Instant received) {
        return RegressionPolicy.firstRegressing(r, List.of(new Candidate("e1", release, received)),
                FIRST_SEEN::get) != null;
    }

    @Test
    void resolvedWithoutReleaseReopensOnEventsReceivedAfterTheResolutionOnly() {
        Resolution r = new Resolution(IssueStatus.RESOLVED, RESOLVED_AT, null, null);
        assertThat(reopens(r, "1.0", RESOLVED_AT.plusSeconds(1))).isTrue();
        assertThat(reopens(r, null, RESOLVED_AT.plusSeconds(1))).isTrue();
        assertThat(reopens(r, "1.2", RESOLVED_AT.minusSeconds(1))).isFalse();
    }

    @Test
    void resolvedInReleaseReopensForThatReleaseAndNewerOnes() {
        Resolution r = new Resolution(IssueStatus.RESOLVED, RESOLVED_AT, "1.1", null);
        Instant later = RESOLVED_AT.plusSeconds(10);
        assertThat(reopens(r, "1.1", later)).as("the fixing release itself").isTrue();
        assertThat(reopens(r, "1.2", later)).as("a newer release").isTrue();
        assertThat(reopens(r, "1.0", later)).as("an old deployment still running").isFalse();
        assertThat(reopens(r, null, later)).as("no release").isFalse();
    }

    @Test
    void resolvedInAReleaseNeverSeenComparesWithTheResolutionTime() {
        Resolution r = new Resolution(IssueStatus.RESOLVED, RESOLVED_AT, "2.0", null);
        assertThat(reopens(r, "1.1", RESOLVED_AT.plusSeconds(10))).as("first seen before the resolution").isFalse();
        Map<String, Instant> withNew = Map.of("1.2", T0.plusSeconds(200), "3.0", RESOLVED_AT.plusSeconds(5));
        assertThat(RegressionPolicy.firstRegressing(r, List.of(new Candidate("e", "3.0", RESOLVED_AT.plusSeconds(5))),
                withNew::get)).isNotNull();
    }

    @Test
    void resolvedInNextReleaseReopensOnlyForAReleaseFirstSeenAfterTheCurrentOne() {
        Resolution r = new Resolution(IssueStatus.RESOLVED_IN_NEXT_RELEASE, RESOLVED_AT, "1.1", null);
        Instant later = RESOLVED_AT.plusSeconds(10);
        assertThat(reopens(r, "1.1", later)).as("same release").isFalse();
        assertThat(reopens(r, "1.0", later)).as("older release").isFalse();
        assertThat(reopens(r, null, later)).as("no release").isFalse();
        assertThat(reopens(r, "1.2", later)).as("next release").isTrue();
    }

    @Test
    void resolvedInNextReleaseWithoutCurrentReleaseReopensForReleasesFirstSeenAfterResolving() {
        Resolution r = new Resolution(IssueStatus.RESOLVED_IN_NEXT_RELEASE, RESOLVED_AT, null, null);
        assertThat(reopens(r, "1.1", RESOLVED_AT.plusSeconds(10))).isFalse();
        assertThat(reopens(r, "1.2", RESOLVED_AT.plusSeconds(10))).isTrue();
    }

    @Test
    void unresolvedAndIgnoredIssuesAreNeverReopened() {
        Instant later = RESOLVED_AT.plusSeconds(10);
        assertThat(reopens(new Resolution(IssueStatus.IGNORED, null, null, null), "1.2", later)).isFalse();
        assertThat(reopens(new Resolution(IssueStatus.UNRESOLVED, null, null, null), "1.2", later)).isFalse();
    }

    @Test
    void theFirstRegressingEventIsReported() {
        Resolution r = new Resolution(IssueStatus.RESOLVED, RESOLVED_AT, "1.1", null);
        Candidate found = RegressionPolicy.firstRegressing(r, List.of(new Candidate("old", "1.0", RESOLVED_AT),
                new Candidate("new", "1.2", RESOLVED_AT), new Candidate("newer", "1.2", RESOLVED_AT)), FIRST_SEEN::get);
        assertThat(found.eventId()).isEqualTo("new");
    }

    @Test
    void versionsOfOnePackageAreOrderedByVersionNotByWhenFirstSeen() {
        // a hotfix of an old line (shop@1.9.1) is first seen after shop@2.0.0 went out
        Map<String, Instant> seen = Map.of("shop@1.9.0", T0, "shop@2.0.0", T0.plusSeconds(100),
                "shop@1.9.1", T0.plusSeconds(300), "shop@2.1.0", T0.plusSeconds(50), "build-77", T0.plusSeconds(400));
        Instant later = RESOLVED_AT.plusSeconds(500);
        Resolution inRelease = new Resolution(IssueStatus.RESOLVED, RESOLVED_AT, "shop@2.0.0", null);
        assertThat(reopens(inRelease, "shop@1.9.1", later, seen)).as("older version, seen later").isFalse();
        assertThat(reopens(inRelease, "shop@2.1.0", later, seen)).as("newer version, seen earlier").isTrue();
        assertThat(reopens(inRelease, "build-77", later, seen)).as("not a version: seen after the fix").isTrue();

        Resolution nextRelease = new Resolution(IssueStatus.RESOLVED_IN_NEXT_RELEASE, RESOLVED_AT, null, "shop@2.0.0");
        assertThat(reopens(nextRelease, "shop@1.9.1", later, seen)).isFalse();
        assertThat(reopens(nextRelease, "shop@2.0.0", later, seen)).isFalse();
        assertThat(reopens(nextRelease, "shop@2.1.0", later, seen)).isTrue();
    }

    private static boolean reopens(Resolution r, String release, Instant received, Map<String, Instant> firstSeen) {
        return RegressionPolicy.firstRegressing(r, List.of(new Candidate("e1", release, received)), firstSeen::get) != null;
    }
}
