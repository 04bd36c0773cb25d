package dev.beatline.query.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
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
        return read(mapper.readerFor(type), body, expected);
    }

    /**
     * As {@link #read(ObjectMapper, String, Class, String)}, and also refuses fields {@code type} does not have and
     * fractional numbers for integer fields: for bodies where a misspelt or rounded option would silently change
     * what happens (e.g. an ignore condition falling back to "forever").
     */
    public static <T> T readStrict(ObjectMapper mapper, String body, Class<T> type, String expected) {
        return read(mapper.readerFor(type).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .without(DeserializationFeature.ACCEPT_FLOAT_AS_INT), body, expected);
    }

    private static <T> T read(ObjectReader reader, String body, String expected) {
        if (body == null || body.isBlank()) {
            throw ApiProblem.badRequest("body", "expected " + expected);
        }
        T value;
        try {
            value = reader.readValue(body);
        } catch (UnrecognizedPropertyException e) {
            throw ApiProblem.badRequest(e.getPropertyName(), "is not a known field; expected " + expected);
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
