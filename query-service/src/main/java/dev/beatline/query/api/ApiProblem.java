package dev.beatline.query.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 {@code application/problem+json} answer. Thrown from resources; the status and detail are
 * the client's to read, never a stack trace.
 */
public class ApiProblem extends WebApplicationException {

    public static final String MEDIA_TYPE = "application/problem+json";

    public ApiProblem(int status, String title, String detail) {
        this(status, title, detail, List.of());
    }

    public ApiProblem(int status, String title, String detail, List<Map<String, String>> violations) {
        super(detail, null, build(status, title, detail, violations));
    }

    private static Response build(int status, String title, String detail, List<Map<String, String>> violations) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (!violations.isEmpty()) {
            body.put("violations", violations);
        }
        return Response.status(status).type(MEDIA_TYPE).entity(body).build();
    }

    public static ApiProblem badRequest(String field, String message) {
        return new ApiProblem(400, "Bad Request", field + ": " + message,
                List.of(Map.of("field", field, "message", message)));
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(404, "Not Found", detail);
    }
}
