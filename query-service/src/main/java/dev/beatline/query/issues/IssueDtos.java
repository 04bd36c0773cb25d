package dev.beatline.query.issues;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.databind.JsonNode;
import dev.beatline.model.Agent;
import dev.beatline.model.Breadcrumb;
import dev.beatline.model.Host;
import dev.beatline.model.HttpRequest;
import dev.beatline.model.Service;
import dev.beatline.model.TraceContext;
import dev.beatline.model.User;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Response bodies of the issues API. */
public final class IssueDtos {

    private IssueDtos() {
    }

    @Schema(description = "A page of issues; pass nextCursor back as cursor (same filters and sort) for the next")
    // without this Jackson also reads the accessor issues() as an is-getter of a property "sues"
    @JsonAutoDetect(isGetterVisibility = JsonAutoDetect.Visibility.NONE)
    public record IssueList(String project, List<IssueSummary> issues, String nextCursor) {
    }

    @Schema(description = "An issue with its most recent occurrence, its grouping components (why its events "
            + "grouped together, as the grouping stored them), its activity log (oldest first, the latest "
            + IssuesResource.ACTIVITY_SHOWN + ") and, while it is ignored with a condition, that condition")
    @JsonAutoDetect(isGetterVisibility = JsonAutoDetect.Visibility.NONE) // issue…() is no is-getter
    public record IssueDetail(IssueSummary issue, EventDetail latestEvent, JsonNode groupingComponents,
            List<Activity> activity, IgnoreDetails ignoreCondition) {
    }

    @Schema(description = "Body of ignore: at most one of forever (default), untilEscalating, forMinutes, untilCount "
            + "(with optional countWindowMinutes), untilUsers (with optional userWindowMinutes)")
    public record IgnoreBody(
            @Schema(description = "true: never reopened by events (also the default without body)") Boolean forever,
            @Schema(description = "true: reopened when the events of an hour exceed max(10, 10 x the issue's hourly "
                    + "average over the 7 days before the ignore)") Boolean untilEscalating,
            @Schema(description = "reopened after this many minutes (1-525600), with or without events") Long forMinutes,
            @Schema(description = "reopened after this many more events (1-1000000000)") Long untilCount,
            @Schema(description = "untilCount events within this many minutes (1-10080)") Long countWindowMinutes,
            @Schema(description = "reopened after this many more users (1-1000000000)") Long untilUsers,
            @Schema(description = "untilUsers distinct users within this many minutes (1-10080)") Long userWindowMinutes) {
    }

    @Schema(description = "The condition an ignored issue waits for (condition: for_minutes, until_count, "
            + "until_users, until_escalating) and the issue's counts when it was ignored")
    public record IgnoreDetails(String condition, Instant ignoredAt, Instant until, Long count,
            Integer countWindowMinutes, Long userCount, Integer userWindowMinutes, long timesSeenAtIgnore,
            long usersAtIgnore, Double hourlyAverage, String actor) {
    }

    @Schema(description = "One entry of an issue's activity log. kind: first_seen, regression, set_escalating (an "
            + "ignore condition was met), auto_set_ongoing (processor); set_resolved, set_resolved_in_release, "
            + "set_resolved_in_next_release, set_ignored, set_unresolved, assigned, unassigned (workflow). actor: null "
            + "for the system, else key:<id> of the key that wrote it")
    public record Activity(long id, String kind, Map<String, Object> data, String actor, Instant createdAt) {
    }

    @Schema(description = "Body of resolve: inRelease = the release that ships the fix (omit or empty body: fixed now)")
    public record ResolveBody(String inRelease) {
    }

    @Schema(description = "Body of assign: assignee (a person's name or email); null unassigns")
    public record AssigneeBody(String assignee) {
    }

    @Schema(description = "One occurrence as the occurrence list shows it")
    public record OccurrenceSummary(String eventId, Instant occurredAt, Instant receivedAt, String service,
            String environment, String release, String level, String message, String traceId, String transactionId) {
    }

    @Schema(description = "One stack frame; inApp is true for the application's own code")
    public record FrameView(String function, String module, String filename, String absPath, Integer lineno,
            Integer colno, boolean inApp, String contextLine, List<String> preContext, List<String> postContext,
            Map<String, Object> vars) {
    }

    @Schema(description = "One exception of a chain (root cause first); frames outermost call first")
    public record ExceptionView(String type, String value, String module, Boolean handled,
            Map<String, Object> mechanism, List<FrameView> frames) {
    }

    @Schema(description = "An occurrence in full, as stored")
    public record EventDetail(String eventId, Instant occurredAt, Instant receivedAt, String level, String message,
            String loggerName, String culprit, String platform, String transactionName, String transactionType,
            Service service, Agent agent, Host host, User user, TraceContext trace,
            @Schema(description = "labels / tags") Map<String, Object> tags, List<ExceptionView> exceptions,
            @Schema(description = "stack trace of a message without exception") List<FrameView> stacktrace,
            HttpRequest request, List<Breadcrumb> breadcrumbs, Map<String, Object> contexts) {
    }

    @Schema(description = "The most frequent values of one tag over the latest occurrences")
    public record TagBreakdown(String key, long total, List<TagValue> values) {
    }

    @Schema(description = "A tag value and how many sampled occurrences carry it (null value = tag absent)")
    public record TagValue(String value, long count) {
    }

    @Schema(description = "Tag breakdowns over the latest sampleSize occurrences of the issue")
    public record TagBreakdowns(int sampleSize, List<TagBreakdown> tags) {
    }

    @Schema(description = "Occurrences per interval; buckets start at t, every bucket listed")
    public record CountSeries(Instant from, Instant to, String interval, List<CountPoint> points) {
    }

    public record CountPoint(Instant t, long count) {
    }
}
