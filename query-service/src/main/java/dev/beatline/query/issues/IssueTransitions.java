package dev.beatline.query.issues;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The issue workflow: what each action does to an issue's state and which activity it records. Pure. The state
 * it writes is what the processor's regression rules read (V100 header, processor {@code RegressionPolicy}):
 * <ul>
 * <li>resolve: {@code resolved}, {@code resolved_in_release} NULL (any event received after now reopens it);</li>
 * <li>resolve in release R: {@code resolved}, {@code resolved_in_release} R (events of R or of releases first seen
 * after R reopen it);</li>
 * <li>resolve in next release: {@code resolved_in_next_release}, {@code resolved_after_release} = the issue's
 * latest release now (events of another release first seen after it reopen it; without a latest release, any
 * release first seen after now);</li>
 * <li>ignore: {@code ignored} with substatus {@code archived_forever} (never reopened), {@code archived_until_escalating}
 * or {@code archived_until_condition_met} (reopened by the processor when its {@link IgnoreCondition} is met);
 * unresolve: {@code unresolved}/{@code ongoing}, resolution cleared;</li>
 * <li>assign / unassign: only {@code assignee}.</li>
 * </ul>
 * Every status change clears the fields of the other resolutions, so no stale release is ever read, and leaving
 * {@code ignored} turns an archived substatus into {@code ongoing}.
 */
public final class IssueTransitions {

    /** Workflow fields of an issue as read under its row lock. */
    public record State(String status, String substatus, String lastRelease, String assignee) {
    }

    /**
     * The state to write ({@code resolve} true: set {@code resolved_at} to now; false: clear it, unless
     * {@code keepResolution}) and the activity to record.
     */
    public record Change(String status, String substatus, boolean resolve, boolean keepResolution,
            String resolvedInRelease, String resolvedAfterRelease, String assignee, String activityKind,
            Map<String, Object> activityData) {
    }

    private IssueTransitions() {
    }

    public static Change resolve(State s) {
        return status(s, "resolved", true, null, null, "set_resolved", Map.of());
    }

    public static Change resolveInRelease(State s, String release) {
        return status(s, "resolved", true, release, null, "set_resolved_in_release", Map.of("version", release));
    }

    public static Change resolveInNextRelease(State s) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("current_release", s.lastRelease());
        return status(s, "resolved_in_next_release", true, null, s.lastRelease(), "set_resolved_in_next_release", data);
    }

    public static Change ignore(State s, IgnoreCondition condition) {
        return new Change("ignored", condition.substatus(), false, false, null, null, s.assignee(), "set_ignored",
                previous(s, condition.activityData()));
    }

    public static Change unresolve(State s) {
        return new Change("unresolved", "ongoing", false, false, null, null, s.assignee(), "set_unresolved",
                previous(s, Map.of()));
    }

    /** {@code assignee} null = unassign. Keeps status and resolution. */
    public static Change assign(State s, String assignee) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("assignee", assignee);
        data.put("previous_assignee", s.assignee());
        return new Change(s.status(), s.substatus(), false, true, null, null, assignee,
                assignee == null ? "unassigned" : "assigned", data);
    }

    private static Change status(State s, String status, boolean resolve, String inRelease, String afterRelease,
            String kind, Map<String, Object> data) {
        String substatus = IgnoreCondition.isArchived(s.substatus()) ? "ongoing" : s.substatus();
        return new Change(status, substatus, resolve, false, inRelease, afterRelease, s.assignee(), kind,
                previous(s, data));
    }

    private static Map<String, Object> previous(State s, Map<String, Object> data) {
        Map<String, Object> out = new LinkedHashMap<>(data);
        out.put("previous_status", s.status());
        return out;
    }
}
