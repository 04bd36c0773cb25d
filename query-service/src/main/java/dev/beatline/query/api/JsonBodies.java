package dev.beatline.query.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.stream.Collectors;

/**
 * Reads JSON request bodies with 400s that name what is wrong: an empty body, malformed JSON (with line and
 * column), or the field whose value has the wrong type. Parsing here rather than in the framework keeps these
 * answers the same whatever the framework's own mappers do.
 */
public final class JsonBodies {

    private JsonBodies() {
    }

    /**
     * @param expected a short example of the expected body, for the error message
     */
    public static <T> T read(ObjectMapper mapper, String body, Class<T> type, String expected) {
        if (body == null || body.isBlank()) {
            throw ApiProblem.badRequest("body", "expected " + expected);
        }
        T value;
        try {
            value = mapper.readValue(body, type);
        } catch (JsonMappingException e) {
            if (!e.getPath().isEmpty()) {
                String field = e.getPath().stream()
                        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                        .collect(Collectors.joining("."));
                throw ApiProblem.badRequest(field, "has the wrong JSON type");
            }
            throw malformed(e, expected);
        } catch (JsonProcessingException e) {
            throw malformed(e, expected);
        }
        if (value == null) {
            throw ApiProblem.badRequest("body", "expected " + expected);
        }
        return value;
    }

    private static ApiProblem malformed(JsonProcessingException e, String expected) {
        String where = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        return ApiProblem.badRequest("body", "not valid JSON" + where + "; expected " + expected);
    }
}
