package dev.beatline.query.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.sql.SQLException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure into {@code application/problem+json}: the API's own {@link ApiProblem}s, the
 * framework's 404/405/406/415, unreadable JSON bodies and anything unexpected. (Quarkus REST raises its 405
 * without the allowed methods, so no {@code Allow} header is sent; {@code OPTIONS} on the path lists them.) Client errors are logged at
 * INFO, server errors at ERROR (with the stack trace, which never reaches the body).
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response apiProblem(ApiProblem problem, UriInfo uri) {
        Response r = problem.getResponse();
        log(r.getStatus(), uri, problem.getMessage(), null);
        return r;
    }

    @ServerExceptionMapper
    public Response framework(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        String detail = switch (status) {
            case 404 -> "no such resource";
            case 405 -> "method not allowed on this resource";
            case 406 -> "cannot produce a representation the Accept header allows";
            case 415 -> "unsupported Content-Type; send application/json";
            case 400 -> "malformed request";
            default -> status >= 500 ? "internal error" : "request refused";
        };
        log(status, uri, detail, status >= 500 ? e : null);
        return new ApiProblem(status, Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase(), detail).getResponse();
    }

    /** Bodies are parsed by {@link JsonBodies}; this catches anything the framework still parses itself. */
    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        log(400, uri, "unreadable JSON body", null);
        return new ApiProblem(400, "Bad Request", "request body is not valid JSON for this resource").getResponse();
    }

    @ServerExceptionMapper
    public Response database(SQLException e, UriInfo uri) {
        boolean unreachable = e.getSQLState() != null && e.getSQLState().startsWith("08");
        int status = unreachable ? 503 : 500;
        log(status, uri, e.getMessage(), e);
        return new ApiProblem(status, unreachable ? "Service Unavailable" : "Internal Server Error",
                unreachable ? "the database cannot be reached" : "internal error").getResponse();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        log(500, uri, "unexpected failure", e);
        return new ApiProblem(500, "Internal Server Error", "internal error").getResponse();
    }

    private static void log(int status, UriInfo uri, String detail, Throwable cause) {
        String path = uri == null ? "?" : uri.getPath();
        if (status >= 500) {
            LOG.errorf(cause, "%d on %s: %s", status, path, detail);
        } else {
            LOG.infof("%d on %s: %s", status, path, detail);
        }
    }
}
