package dev.beatline.query.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beatline.grouping.FingerprintRules;
import dev.beatline.grouping.StackTraceRules;
import dev.beatline.model.keys.Dsn;
import dev.beatline.model.keys.ProjectKey;
import dev.beatline.query.admin.AdminDtos.CreatedKey;
import dev.beatline.query.admin.AdminDtos.GroupingRules;
import dev.beatline.query.admin.AdminDtos.KeyView;
import dev.beatline.query.admin.AdminDtos.NewKey;
import dev.beatline.query.admin.AdminDtos.NewProject;
import dev.beatline.query.admin.AdminDtos.ProjectRename;
import dev.beatline.query.admin.AdminDtos.ProjectView;
import dev.beatline.query.admin.AdminDtos.RateLimit;
import dev.beatline.query.api.ApiProblem;
import dev.beatline.query.api.Cursor;
import dev.beatline.query.api.JsonBodies;
import dev.beatline.query.api.Page;
import dev.beatline.query.api.QueryParams;
import dev.beatline.query.auth.ApiAuth;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Admin API: projects, their keys and ingest rate limits. Every call needs an admin key, except reading one
 * project, which its own read keys may do.
 */
@Path("/api/v1/projects")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin", description = "projects, keys and rate limits (admin key)")
public class ProjectsResource {

    /** Longest rules text accepted (Sentry's limit for a project's rules is of the same order). */
    static final int MAX_RULES_CHARS = 65_536;

    private static final Set<String> SCOPES = Set.of(ProjectKey.SCOPE_INGEST, ProjectKey.SCOPE_READ,
            ProjectKey.SCOPE_WRITE, ProjectKey.SCOPE_ADMIN);

    private final ApiAuth auth;
    private final ProjectRepository projects;
    private final KeyRepository keys;
    private final String publicIntakeUrl;
    private final ObjectMapper mapper;

    public ProjectsResource(ApiAuth auth, ProjectRepository projects, KeyRepository keys, ObjectMapper mapper,
            @ConfigProperty(name = "beatline.public-intake-url", defaultValue = "http://127.0.0.1:8200") String publicIntakeUrl) {
        this.auth = auth;
        this.projects = projects;
        this.keys = keys;
        this.publicIntakeUrl = publicIntakeUrl;
        this.mapper = mapper;
    }

    @GET
    @Operation(summary = "List projects", description = "By id, cursor-paginated.")
    public Page<ProjectView> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) throws SQLException {
        auth.admin(authorization);
        int n = QueryParams.intParam("limit", limit, 100, 1, 1000);
        Cursor after = Cursor.decode(cursor);
        List<ProjectView> rows = projects.list(after == null ? 0 : after.idAsLong(), n + 1);
        return Page.of(rows, n, p -> new Cursor(Long.toString(p.id()), Long.toString(p.id())));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a project", description = "201 with the project; 409 when the slug is taken.")
    public Response create(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @RequestBody(content = @Content(schema = @Schema(implementation = NewProject.class))) String json)
            throws SQLException {
        auth.admin(authorization);
        NewProject body = JsonBodies.read(mapper, json, NewProject.class, "{\"slug\": ..., \"name\": ...}");
        String slug = ProjectSlugs.validate(body.slug());
        String name = body.name() == null ? slug : ProjectSlugs.validateName(body.name());
        ProjectView created = projects.create(slug, name)
                .orElseThrow(() -> new ApiProblem(409, "Conflict", "a project with slug '" + slug + "' exists"));
        return Response.created(URI.create("/api/v1/projects/" + created.slug())).entity(created).build();
    }

    @GET
    @Path("{project}")
    @Operation(summary = "Get a project", description = "By slug or numeric id; admin key or a read key of the project.")
    public ProjectView get(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("project") String project) throws SQLException {
        ApiAuth.Project p = auth.readableProject(authorization, project);
        return projects.find(p.id()).orElseThrow(() -> ApiProblem.notFound("no project '" + project + "'"));
    }

    @PATCH
    @Path("{project}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Rename a project", description = "Changes the display name; the slug stays.")
    public ProjectView rename(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("project") String project,
            @RequestBody(content = @Content(schema = @Schema(implementation = ProjectRename.class))) String json)
            throws SQLException {
        ApiAuth.Project p = auth.administeredProject(authorization, project);
        ProjectRename body = JsonBodies.read(mapper, json, ProjectRename.class, "{\"name\": ...}");
        String name = ProjectSlugs.validateName(body.name());
        return projects.rename(p.id(), name).orElseThrow(() -> ApiProblem.notFound("no project '" + project + "'"));
    }

    @PUT
    @Path("{project}/rate-limit")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set the project's ingest rate limit",
            description = "Events per second and burst; both null restores the intake's default. The intake "
                    + "picks the change up when it reloads the project's keys (within 60 s).")
    public ProjectView rateLimit(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("project") String project,
            @RequestBody(content = @Content(schema = @Schema(implementation = RateLimit.class))) String json)
            throws SQLException {
        ApiAuth.Project p = auth.administeredProject(authorization, project);
        RateLimit body = JsonBodies.read(mapper, json, RateLimit.class, "{\"eventsPerSecond\": ..., \"burst\": ...}");
        if ((body.eventsPerSecond() == null) != (body.burst() == null)) {
            throw ApiProblem.badRequest("burst", "set both eventsPerSecond and burst, or neither");
        }
        if (body.eventsPerSecond() != null && (body.eventsPerSecond() < 1 || body.eventsPerSecond() > 1_000_000)) {
            throw ApiProblem.badRequest("eventsPerSecond", "must be between 1 and 1000000");
        }
        if (body.burst() != null && (body.burst() < body.eventsPerSecond() || body.burst() > 10_000_000)) {
            throw ApiProblem.badRequest("burst", "must be between eventsPerSecond and 10000000");
        }
        return projects.setRateLimit(p.id(), body.eventsPerSecond(), body.burst())
                .orElseThrow(() -> ApiProblem.notFound("no project '" + project + "'"));
    }

    @GET
    @Path("{project}/grouping-rules")
    @Operation(summary = "The project's grouping rules", description = "Fingerprint rules and stack-trace rules "
            + "in Sentry's syntax (the built-in stack-trace rules always apply first and are not listed).")
    public GroupingRules groupingRules(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("project") String project) throws SQLException {
        ApiAuth.Project p = auth.readableProject(authorization, project);
        return projects.groupingRules(p.id()).orElseThrow(() -> ApiProblem.notFound("no project '" + project + "'"));
    }

    @PUT
    @Path("{project}/grouping-rules")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace the project's grouping rules",
            description = "Both texts are parsed first; a rule that cannot be read is refused with 400 naming its "
                    + "line and column. Applies to events processed from then on (within seconds); existing issues "
                    + "keep their events.")
    public GroupingRules setGroupingRules(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("project") String project,
            @RequestBody(content = @Content(schema = @Schema(implementation = GroupingRules.class))) String json)
            throws SQLException {
        ApiAuth.Project p = auth.administeredProject(authorization, project);
        GroupingRules body = JsonBodies.read(mapper, json, GroupingRules.class,
                "{\"fingerprintRules\": \"...\", \"stackTraceRules\": \"...\"}");
        String fingerprintRules = rulesText("fingerprintRules", body.fingerprintRules(), FingerprintRules::parse);
        String stackTraceRules = rulesText("stackTraceRules", body.stackTraceRules(), StackTraceRules::parse);
        return projects.setGroupingRules(p.id(), fingerprintRules, stackTraceRules)
                .orElseThrow(() -> ApiProblem.notFound("no project '" + project + "'"));
    }

    /** Rules text as stored (null means none) once {@code parser} has read it; at most {@value #MAX_RULES_CHARS} chars. */
    private static String rulesText(String field, String text, Consumer<String> parser) {
        if (text == null) {
            return "";
        }
        if (text.length() > MAX_RULES_CHARS) {
            throw ApiProblem.badRequest(field, "at most " + MAX_RULES_CHARS + " characters");
        }
        try {
            parser.accept(text);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(field, e.getMessage());
        }
        return text;
    }

    @POST
    @Path("{project}/keys")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a key", description = "201; the secret is in this response only and never again.")
    public Response createKey(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("project") String project,
            @RequestBody(content = @Content(schema = @Schema(implementation = NewKey.class))) String json)
            throws SQLException {
        ApiAuth.Project p = auth.administeredProject(authorization, project);
        NewKey body = JsonBodies.read(mapper, json, NewKey.class, "{\"name\": ..., \"scopes\": [...]}");
        String name = body.name() == null ? "key" : body.name().trim();
        if (name.isEmpty() || name.length() > 200) {
            throw ApiProblem.badRequest("name", "must be 1-200 characters");
        }
        if (body.scopes() == null || body.scopes().isEmpty()) {
            throw ApiProblem.badRequest("scopes", "must list at least one of " + SCOPES.stream().sorted().toList());
        }
        Set<String> scopes = new LinkedHashSet<>();
        for (String s : body.scopes()) {
            if (s == null || !SCOPES.contains(s)) {
                throw ApiProblem.badRequest("scopes", "unknown scope '" + s + "'; allowed: " + SCOPES.stream().sorted().toList());
            }
            scopes.add(s);
        }
        CreatedKey k = keys.create(p.id(), name, new ArrayList<>(scopes));
        CreatedKey withDsn = new CreatedKey(k.id(), k.publicKey(), k.secret(),
                Dsn.forKey(publicIntakeUrl, k.publicKey(), p.id()).toString(), k.name(), k.scopes(), k.createdAt());
        return Response.created(URI.create("/api/v1/projects/" + p.slug() + "/keys/" + k.id())).entity(withDsn).build();
    }

    @GET
    @Path("{project}/keys")
    @Operation(summary = "List keys", description = "Without secrets; revoked keys included (revokedAt set).")
    public Page<KeyView> listKeys(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("project") String project, @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit) throws SQLException {
        ApiAuth.Project p = auth.administeredProject(authorization, project);
        int n = QueryParams.intParam("limit", limit, 100, 1, 1000);
        Cursor after = Cursor.decode(cursor);
        List<KeyView> rows = keys.list(p.id(), after == null ? 0 : after.idAsLong(), n + 1);
        return Page.of(rows, n, k -> new Cursor(Long.toString(k.id()), Long.toString(k.id())));
    }

    @DELETE
    @Path("{project}/keys/{key}")
    @Operation(summary = "Revoke a key", description = "Sets revokedAt. This query service refuses the key at once; "
            + "intake instances cache keys for up to 60 s, so ingestion with it stops within a minute.")
    public KeyView revokeKey(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("project") String project, @PathParam("key") String key) throws SQLException {
        ApiAuth.Project p = auth.administeredProject(authorization, project);
        long keyId = QueryParams.pathId("key", key);
        KeyView revoked = keys.revoke(p.id(), keyId)
                .orElseThrow(() -> ApiProblem.notFound("project '" + p.slug() + "' has no key " + key));
        auth.forgetKeys();
        return revoked;
    }
}
