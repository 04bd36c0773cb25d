package dev.beatline.query.issues;

import dev.beatline.query.api.ApiProblem;
import dev.beatline.query.api.Buckets;
import dev.beatline.query.api.Cursor;
import dev.beatline.query.api.Page;
import dev.beatline.query.api.QueryParams;
import dev.beatline.query.api.TimeRange;
import dev.beatline.query.auth.ApiAuth;
import dev.beatline.query.issues.IssueDtos.CountPoint;
import dev.beatline.query.issues.IssueDtos.CountSeries;
import dev.beatline.query.issues.IssueDtos.EventDetail;
import dev.beatline.query.issues.IssueDtos.IssueDetail;
import dev.beatline.query.issues.IssueDtos.IssueList;
import dev.beatline.query.issues.IssueDtos.OccurrenceSummary;
import dev.beatline.query.issues.IssueDtos.TagBreakdown;
import dev.beatline.query.issues.IssueDtos.TagBreakdowns;
import dev.beatline.query.issues.IssueDtos.TagValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beatline.query.api.JsonBodies;
import dev.beatline.query.issues.IssueDtos.AssigneeBody;
import dev.beatline.query.issues.IssueDtos.IgnoreBody;
import dev.beatline.query.issues.IssueDtos.ResolveBody;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The issues of a project: list, detail, occurrences, tag breakdowns and counts over time (read key), and the
 * workflow writes (admin key; {@link IssueTransitions} says what each does).
 */
@Path("/api/v1/projects/{project}/issues")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "issues", description = "error issues and their occurrences (read key); workflow writes (admin key)")
public class IssuesResource {

    static final Set<String> STATUSES = Set.of("unresolved", "resolved", "resolved_in_next_release", "ignored");
    static final Set<String> SUBSTATUSES = Set.of("new", "regressed", "ongoing", "escalating",
            IgnoreCondition.ARCHIVED_FOREVER, IgnoreCondition.ARCHIVED_UNTIL_ESCALATING,
            IgnoreCondition.ARCHIVED_UNTIL_CONDITION_MET);
    static final Set<String> LEVELS = Set.of("fatal", "error", "warning", "info", "debug");
    /** How many latest occurrences a tag breakdown reads. */
    static final int TAG_SAMPLE = 2000;
    static final int TOP_VALUES = 10;

    /** How many of the latest activity entries the detail shows. */
    static final int ACTIVITY_SHOWN = 100;
    static final int MAX_NAME = 200;

    private final ApiAuth auth;
    private final IssueRepository issues;
    private final OccurrenceRepository occurrences;
    private final IssueWorkflowRepository workflow;
    private final ObjectMapper mapper;

    public IssuesResource(ApiAuth auth, IssueRepository issues, OccurrenceRepository occurrences,
            IssueWorkflowRepository workflow, ObjectMapper mapper) {
        this.auth = auth;
        this.issues = issues;
        this.occurrences = occurrences;
        this.workflow = workflow;
        this.mapper = mapper;
    }

    @GET
    @Operation(summary = "List issues", description = "Filtered, sorted (descending) and cursor-paginated.")
    public IssueList list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("project") String project,
            @Parameter(description = "unresolved, resolved, resolved_in_next_release, ignored") @QueryParam("status") String status,
            @Parameter(description = "new, regressed, ongoing, escalating (unresolved); archived_forever, "
                    + "archived_until_escalating, archived_until_condition_met (ignored)") @QueryParam("substatus")
            String substatus,
            @QueryParam("service") String service,
            @Parameter(description = "issues with an occurrence in this environment") @QueryParam("environment") String environment,
            @Parameter(description = "issues with an occurrence in this release") @QueryParam("release") String release,
            @Parameter(description = "fatal, error, warning, info, debug") @QueryParam("level") String level,
            @Parameter(description = "text in title or culprit, case-insensitive") @QueryParam("query") String query,
            @Parameter(description = "last_seen (default), first_seen, times_seen, users") @QueryParam("sort") String sort,
            @QueryParam("cursor") String cursor,
            @Parameter(description = "1-500, default 50") @QueryParam("limit") String limit) throws SQLException {
        ApiAuth.Project p = auth.readableProject(authorization, project);
        int n = QueryParams.intParam("limit", limit, 50, 1, 500);
        IssueSort order = IssueSort.ofParam(QueryParams.oneOf("sort", sort, IssueSort.PARAMS, "last_seen"));
        String text = QueryParams.optional(query);
        if (text != null && text.length() > 200) {
            throw ApiProblem.badRequest("query", "at most 200 characters");
        }
        IssueFilter filter = new IssueFilter(QueryParams.oneOf("status", status, STATUSES, null),
                QueryParams.oneOf("substatus", substatus, SUBSTATUSES, null),
                QueryParams.optional(service), QueryParams.optional(environment), QueryParams.optional(release),
                QueryParams.oneOf("level", level, LEVELS, null), text);
        List<IssueSummary> rows = issues.list(p.id(), filter, order, Cursor.decode(cursor), n + 1);
        Page<IssueSummary> page = Page.of(rows, n, i -> IssueRepository.cursorAfter(i, order));
        return new IssueList(p.slug(), page.items(), page.nextCursor());
    }

    @GET
    @Path("{issue}")
    @Operation(summary = "Issue detail", description = "The issue and its latest occurrence in full (stack trace with "
            + "in-app frames marked, request, user, tags, breadcrumbs, contexts), its grouping components and its "
            + "activity log.")
    public IssueDetail detail(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("project") String project, @PathParam("issue") String issue) throws SQLException {
        ApiAuth.Project p = auth.readableProject(authorization, project);
        IssueSummary summary = issue(p, issue);
        EventDetail latest = occurrences.latestPayload(p.id(), summary.id()).map(EventDetails::fromPayload).orElse(null);
        JsonNode components;
        try {
            components = mapper.readTree(issues.groupingComponents(p.id(), summary.id()).orElse("[]"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("issues.grouping_components is not JSON", e);
        }
        return new IssueDetail(summary, latest, components, workflow.activity(p.id(), summary.id(), ACTIVITY_SHOWN),
                workflow.ignoreCondition(p.id(), summary.id()).orElse(null));
    }

    @POST
    @Path("{issue}/resolve")
    @Operation(summary = "Resolve", description = "Admin key. Without body: fixed now (any event received later "
            + "reopens it). With {\"inRelease\": R}: fixed in release R (events of R or of releases first seen after R "
            + "reopen it). Recorded in the activity log; answers the updated issue.")
    public IssueSummary resolve(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("project") String project, @PathParam("issue") String issue,
            @RequestBody(required = false, content = @Content(schema = @Schema(implementation = ResolveBody.class)))
            String json) throws SQLException {
        ApiAuth.Writer w = auth.writableProject(authorization, project);
        String release = json == null || json.isBlank() ? null
                : name("inRelease", JsonBodies.read(mapper, json, ResolveBody.class, "{\"inRelease\": \"1.2.0\"}").inRelease());
        return write(w, issue, release == null ? IssueTransitions::resolve
                : s -> IssueTransitions.resolveInRelease(s, release));
    }

    @POST
    @Path("{issue}/resolve-in-next-release")
    @Operation(summary = "Resolve in the next release", description = "Admin key. Fixed in the release after the "
            + "issue's latest release: events of another release first seen after it reopen it.")
    public IssueSummary resolveInNextRelease(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("project") String project, @PathParam("issue") String issue) throws SQLException {
        return write(auth.writableProject(authorization, project), issue, IssueTransitions::resolveInNextRelease);
    }

    @POST
    @Path("{issue}/ignore")
    @Operation(summary = "Ignore", description = "Admin key. Without body or with {\"forever\": true}: never reopened "
            + "by new events (counts keep growing). With {\"untilEscalating\": true}, {\"forMinutes\": N}, "
            + "{\"untilCount\": N, \"countWindowMinutes\": M} (M optional) or {\"untilUsers\": N, "
            + "\"userWindowMinutes\": M} (M optional): reopened as unresolved/escalating when the condition is met, "
            + "counting from the ignore. Substatus archived_forever, archived_until_escalating or "
            + "archived_until_condition_met; the condition is in the activity log and the issue detail.")
    public IssueSummary ignore(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("project") String project, @PathParam("issue") String issue,
            @RequestBody(required = false, content = @Content(schema = @Schema(implementation = IgnoreBody.class)))
            String json) throws SQLException {
        ApiAuth.Writer w = auth.writableProject(authorization, project);
        IgnoreCondition condition = json == null || json.isBlank() ? IgnoreCondition.FOREVER
                : IgnoreCondition.of(JsonBodies.readStrict(mapper, json, IgnoreBody.class, IgnoreCondition.EXPECTED));
        long id = QueryParams.pathId("issue", issue);
        if (!workflow.ignore(w.project().id(), id, condition, w.actor())) {
            throw notFound(w, issue);
        }
        return issues.find(w.project().id(), id).orElseThrow();
    }

    @POST
    @Path("{issue}/unresolve")
    @Operation(summary = "Unresolve", description = "Admin key. Open again (substatus ongoing), resolution cleared.")
    public IssueSummary unresolve(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("project") String project, @PathParam("issue") String issue) throws SQLException {
        return write(auth.writableProject(authorization, project), issue, IssueTransitions::unresolve);
    }

    @PUT
    @Path("{issue}/assignee")
    @Operation(summary = "Assign", description = "Admin key. {\"assignee\": \"ada@example.com\"} assigns, "
            + "{\"assignee\": null} unassigns.")
    public IssueSummary assign(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("project") String project, @PathParam("issue") String issue,
            @RequestBody(content = @Content(schema = @Schema(implementation = AssigneeBody.class))) String json)
            throws SQLException {
        ApiAuth.Writer w = auth.writableProject(authorization, project);
        String assignee = name("assignee",
                JsonBodies.read(mapper, json, AssigneeBody.class, "{\"assignee\": \"ada@example.com\" or null}").assignee());
        return write(w, issue, s -> IssueTransitions.assign(s, assignee));
    }

    /** null stays null; otherwise trimmed, 1-200 characters. */
    private static String name(String field, String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        if (v.isEmpty() || v.length() > MAX_NAME) {
            throw ApiProblem.badRequest(field, "must be 1-" + MAX_NAME + " characters");
        }
        return v;
    }

    private IssueSummary write(ApiAuth.Writer w, String issue, Function<IssueTransitions.State, IssueTransitions.Change> action)
            throws SQLException {
        long id = QueryParams.pathId("issue", issue);
        if (!workflow.apply(w.project().id(), id, action, w.actor())) {
            throw notFound(w, issue);
        }
        return issues.find(w.project().id(), id).orElseThrow();
    }

    private static ApiProblem notFound(ApiAuth.Writer w, String issue) {
        return ApiProblem.notFound("project '" + w.project().slug() + "' has no issue " + issue);
    }

    @GET
    @Path("{issue}/events")
    @Operation(summary = "Occurrences of an issue", description = "Newest first, cursor-paginated.")
    public Page<OccurrenceSummary> events(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("project") String project, @PathParam("issue") String issue,
            @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) throws SQLException {
        ApiAuth.Project p = auth.readableProject(authorization, project);
        int n = QueryParams.intParam("limit", limit, 50, 1, 500);
        Cursor after = Cursor.decode(cursor);
        IssueSummary summary = issue(p, issue);
        return Page.of(occurrences.list(p.id(), summary.id(), after, n + 1), n, OccurrenceRepository::cursorAfter);
    }

    @GET
    @Path("{issue}/events/{event}")
    @Operation(summary = "One occurrence in full")
    public EventDetail event(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("project") String project, @PathParam("issue") String issue,
            @PathParam("event") String event) throws SQLException {
        ApiAuth.Project p = auth.readableProject(authorization, project);
        IssueSummary summary = issue(p, issue);
        return occurrences.payload(p.id(), summary.id(), event).map(EventDetails::fromPayload)
                .orElseThrow(() -> ApiProblem.notFound("issue " + summary.id() + " has no event '" + event + "'"));
    }

    @GET
    @Path("{issue}/tags")
    @Operation(summary = "Tag-value breakdowns", description = "Top " + TOP_VALUES + " values of service, "
            + "environment, release, level, browser, os and every label (label:<name>) over the latest "
            + TAG_SAMPLE + " occurrences.")
    public TagBreakdowns tags(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("project") String project, @PathParam("issue") String issue,
            @Parameter(description = "comma-separated tag keys to keep, e.g. browser,os,label:tenant; default all")
            @QueryParam("keys") String keys) throws SQLException {
        ApiAuth.Project p = auth.readableProject(authorization, project);
        IssueSummary summary = issue(p, issue);
        Set<String> wanted = keys == null || keys.isBlank() ? null
                : Set.copyOf(Arrays.stream(keys.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
        List<TagBreakdown> out = new ArrayList<>();
        for (Map.Entry<String, List<TagValue>> tag : occurrences.tagValues(p.id(), summary.id(), TAG_SAMPLE).entrySet()) {
            if (wanted != null && !wanted.contains(tag.getKey())) {
                continue;
            }
            long total = tag.getValue().stream().mapToLong(TagValue::count).sum();
            out.add(new TagBreakdown(tag.getKey(), total,
                    List.copyOf(tag.getValue().subList(0, Math.min(TOP_VALUES, tag.getValue().size())))));
        }
        return new TagBreakdowns(TAG_SAMPLE, out);
    }

    @GET
    @Path("{issue}/histogram")
    @Operation(summary = "Occurrences per interval", description = "Default range: the last 24 hours.")
    public CountSeries histogram(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("project") String project, @PathParam("issue") String issue,
            @QueryParam("from") String from, @QueryParam("to") String to,
            @Parameter(description = "1m, 5m, 1h, 1d, …; default chosen from the range") @QueryParam("interval") String interval)
            throws SQLException {
        ApiAuth.Project p = auth.readableProject(authorization, project);
        Buckets buckets = Buckets.of(TimeRange.parse(from, to, Duration.ofHours(24)), interval);
        IssueSummary summary = issue(p, issue);
        Map<Instant, Long> counts = occurrences.counts(p.id(), summary.id(), buckets);
        List<CountPoint> points = new ArrayList<>(buckets.points());
        for (int i = 0; i < buckets.points(); i++) {
            Instant t = buckets.bucket(i);
            points.add(new CountPoint(t, counts.getOrDefault(t, 0L)));
        }
        return new CountSeries(buckets.from(), buckets.to(), buckets.intervalText(), points);
    }

    private IssueSummary issue(ApiAuth.Project p, String issue) throws SQLException {
        long id = QueryParams.pathId("issue", issue);
        return issues.find(p.id(), id)
                .orElseThrow(() -> ApiProblem.notFound("project '" + p.slug() + "' has no issue " + issue));
    }
}
