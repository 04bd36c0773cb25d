package dev.beatline.processor.issues;

/**
 * Issue status and substatus values as stored in {@code issues.status} / {@code issues.substatus}. Their
 * semantics (who writes what, when the processor reopens an issue) are documented in
 * {@code V100__issues_workflow_and_partitioned_occurrences.sql} and implemented by {@link RegressionPolicy}.
 */
public final class IssueStatus {

    public static final String UNRESOLVED = "unresolved";
    /** Fixed now ({@code resolved_in_release} NULL) or in the release {@code resolved_in_release}. */
    public static final String RESOLVED = "resolved";
    /** Fixed in the release after {@code resolved_after_release}. */
    public static final String RESOLVED_IN_NEXT_RELEASE = "resolved_in_next_release";
    /**
     * Ignored: never reopened by the processor ({@code archived_forever}), or until its condition in
     * {@code issue_snoozes} is met ({@link SnoozePolicy}, V610).
     */
    public static final String IGNORED = "ignored";

    public static final String SUBSTATUS_NEW = "new";
    public static final String SUBSTATUS_REGRESSED = "regressed";
    public static final String SUBSTATUS_ONGOING = "ongoing";

    /** Activity kinds written by the processor. */
    public static final String ACTIVITY_FIRST_SEEN = "first_seen";
    public static final String ACTIVITY_REGRESSION = "regression";
    /** A new or regressed issue became ongoing after {@link IssueMaintenance#ONGOING_AFTER} (Sentry's AUTO_SET_ONGOING). */
    public static final String ACTIVITY_AUTO_SET_ONGOING = "auto_set_ongoing";
    /** An ignored issue's condition was met: unresolved / escalating (Sentry's SET_ESCALATING). */
    public static final String ACTIVITY_SET_ESCALATING = "set_escalating";

    private IssueStatus() {
    }
}
