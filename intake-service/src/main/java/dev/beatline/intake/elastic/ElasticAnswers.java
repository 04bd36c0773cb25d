package dev.beatline.intake.elastic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.beatline.model.EventCodec;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes answers as apm-server does: {@code application/json} (pretty-printed) when the client accepts JSON or
 * anything ({@code *}{@code /*}), otherwise {@code text/plain; charset=utf-8} with the same JSON compact.
 */
final class ElasticAnswers {

    private static final ObjectWriter PRETTY = EventCodec.mapper().writer().with(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectWriter COMPACT = EventCodec.mapper().writer();

    private ElasticAnswers() {
    }

    static boolean wantsJson(HttpHeaders headers) {
        String accept = headers.getHeaderString(HttpHeaders.ACCEPT);
        return accept != null && (accept.contains("application/json") || accept.contains("*/*"));
    }

    /** A body in the negotiated type. */
    static Response.ResponseBuilder body(Response.ResponseBuilder b, HttpHeaders headers, Object body) {
        boolean json = wantsJson(headers);
        try {
            return b.entity((json ? PRETTY : COMPACT).writeValueAsString(body))
                    .type(json ? "application/json" : "text/plain; charset=utf-8");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("answer not serializable", e);
        }
    }

    /** {@code {"error": message}}: the form of answers written before a stream is read (auth, limits). */
    static Response error(int status, HttpHeaders headers, String message) {
        return body(Response.status(status), headers, Map.of("error", message)).build();
    }

    /** {@code {"accepted":N,"errors":[…]}} with {@code Connection: close}, as the intake handler answers ≥ 400. */
    static Response stream(int status, HttpHeaders headers, int accepted, List<StreamResult.StreamError> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accepted", accepted);
        List<Map<String, String>> list = new ArrayList<>();
        for (StreamResult.StreamError e : errors.subList(0, Math.min(errors.size(), StreamResult.MAX_ERRORS_LISTED))) {
            Map<String, String> m = new LinkedHashMap<>();
            if (e.document() != null) {
                m.put("document", e.document());
            }
            m.put("message", e.message());
            list.add(m);
        }
        if (!list.isEmpty()) {
            body.put("errors", list);
        }
        return body(Response.status(status), headers, body).header("Connection", "close").build();
    }
}
