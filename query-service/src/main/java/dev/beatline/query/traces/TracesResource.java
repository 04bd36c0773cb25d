package dev.beatline.query.traces;

import dev.beatline.query.api.ApiProblem;
import dev.beatline.query.auth.ApiAuth;
import dev.beatline.query.traces.TraceDtos.Trace;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A trace by id: its kept transactions, their spans and its errors, across the services of a project. */
@Path("/api/v1/projects/{project}/traces")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "traces", description = "distributed traces (read key)")
public class TracesResource {

    /** W3C / Elastic trace ids are 32 hex digits; Sentry's too. Anything else cannot be stored, so 404 early. */
    static final Pattern TRACE_ID = Pattern.compile("[0-9a-fA-F]{16,64}");

    private final ApiAuth auth;
    private final TraceRepository traces;

    public TracesResource(ApiAuth auth, TraceRepository traces) {
        this.auth = auth;
        this.traces = traces;
    }

    @GET
    @Path("{traceId}")
    @Operation(summary = "A trace by id", description = "Kept transactions, their spans and the error occurrences "
            + "with this trace id, across services; 404 when nothing of it is stored.")
    public Trace trace(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("project") String project, @PathParam("traceId") String traceId) throws SQLException {
        ApiAuth.Project p = auth.readableProject(authorization, project);
        if (!TRACE_ID.matcher(traceId).matches()) {
            throw ApiProblem.notFound("no trace '" + traceId + "' (trace ids are 16 to 64 hex digits)");
        }
        Trace t = traces.find(p.id(), traceId);
        if (t.transactions().isEmpty() && t.spans().isEmpty() && t.errors().isEmpty()) {
            throw ApiProblem.notFound("project '" + p.slug() + "' has no trace '" + traceId + "'");
        }
        return t;
    }
}
