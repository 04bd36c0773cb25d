package dev.beatline.query.issues;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beatline.query.issues.IssueTransitions.Change;
import dev.beatline.query.issues.IssueTransitions.State;
import org.junit.jupiter.api.Test;

class IssueTransitionsTest {

    static final State OPEN = new State("unresolved", "new", "2.0", "ada");

    @Test
    void resolveNowHasNoReleaseSoAnyLaterEventReopens() {
        Change c = IssueTransitions.resolve(OPEN);
        assertThat(c.status()).isEqualTo("resolved");
        assertThat(c.resolve()).isTrue();
        assertThat(c.resolvedInRelease()).isNull();
        assertThat(c.resolvedAfterRelease()).isNull();
        assertThat(c.assignee()).isEqualTo("ada");
        assertThat(c.activityKind()).isEqualTo("set_resolved");
        assertThat(c.activityData()).containsEntry("previous_status", "unresolved");
    }

    @Test
    void resolveInReleaseAndInNextReleaseStoreTheReleaseTheProcessorCompares() {
        Change inRelease = IssueTransitions.resolveInRelease(OPEN, "2.1");
        assertThat(inRelease.resolvedInRelease()).isEqualTo("2.1");
        assertThat(inRelease.activityData()).containsEntry("version", "2.1");
        Change next = IssueTransitions.resolveInNextRelease(OPEN);
        assertThat(next.status()).isEqualTo("resolved_in_next_release");
        assertThat(next.resolvedAfterRelease()).isEqualTo("2.0");
        assertThat(next.resolvedInRelease()).isNull();
        assertThat(IssueTransitions.resolveInNextRelease(new State("unresolved", "new", null, null))
                .resolvedAfterRelease()).isNull();
    }

    @Test
    void ignoreAndUnresolveClearTheResolution() {
        State resolved = new State("resolved", "new", "2.0", null);
        Change ignore = IssueTransitions.ignore(resolved, IgnoreCondition.FOREVER);
        assertThat(ignore.status()).isEqualTo("ignored");
        assertThat(ignore.resolve()).isFalse();
        assertThat(ignore.keepResolution()).isFalse();
        Change unresolve = IssueTransitions.unresolve(resolved);
        assertThat(unresolve.status()).isEqualTo("unresolved");
        assertThat(unresolve.substatus()).isEqualTo("ongoing");
        assertThat(unresolve.resolvedInRelease()).isNull();
        assertThat(unresolve.activityData()).containsEntry("previous_status", "resolved");
    }

    @Test
    void assignKeepsStatusAndResolution() {
        State resolved = new State("resolved", "new", "2.0", "ada");
        Change assign = IssueTransitions.assign(resolved, "bob");
        assertThat(assign.keepResolution()).isTrue();
        assertThat(assign.status()).isEqualTo("resolved");
        assertThat(assign.activityKind()).isEqualTo("assigned");
        assertThat(assign.activityData()).containsEntry("assignee", "bob").containsEntry("previous_assignee", "ada");
        assertThat(IssueTransitions.assign(resolved, null).activityKind()).isEqualTo("unassigned");
    }
}
