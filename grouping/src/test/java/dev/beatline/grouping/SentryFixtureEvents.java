package dev.beatline.grouping;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beatline.model.ErrorEvent;
import dev.beatline.model.EventHeader;
import dev.beatline.model.ExceptionInfo;
import dev.beatline.model.StackFrame;
import dev.beatline.model.TestEvents;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-side mapping of a Sentry event JSON (as in Sentry's grouping inputs) onto the canonical
 * {@link ErrorEvent}: exceptions (list or {@code values}), top-level or crashed-thread stack traces,
 * {@code logentry}/{@code message}, fingerprint, tags, platform. The real intake mapper lives in intake-service.
 */
final class SentryFixtureEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SentryFixtureEvents() {
    }

    static ErrorEvent toErrorEvent(JsonNode e) {
        Map<String, Object> tags = new LinkedHashMap<>();
        JsonNode t = e.path("tags");
        if (t.isObject()) {
            t.fields().forEachRemaining(f -> tags.put(f.getKey(), f.getValue().asText()));
        } else if (t.isArray()) {
            t.forEach(pair -> tags.put(pair.path(0).asText(), pair.path(1).asText()));
        }
        EventHeader base = TestEvents.header(1, "fixture");
        EventHeader header = new EventHeader(base.schema(), text(e, "event_id") == null ? "fixture" : text(e, "event_id"),
                1, base.receivedAt(), null, base.source(), base.service(), null, null, null, tags);

        List<ExceptionInfo> exceptions = new ArrayList<>();
        JsonNode ex = e.path("exception");
        for (JsonNode x : ex.isArray() ? ex : ex.path("values")) {
            if (x.isNull()) {
                continue;
            }
            Map<String, Object> mechanism = x.has("mechanism")
                    ? JSON.convertValue(x.get("mechanism"), new TypeReference<Map<String, Object>>() { })
                    : null;
            exceptions.add(new ExceptionInfo(text(x, "type"), text(x, "value"), text(x, "module"), null, mechanism,
                    frames(x.path("stacktrace"))));
        }
        List<StackFrame> logStacktrace = frames(e.path("stacktrace"));
        if (logStacktrace.isEmpty()) {
            logStacktrace = threadFrames(e.path("threads"));
        }
        JsonNode logentry = e.has("logentry") ? e.path("logentry") : e.path("message");
        String message = logentry.isTextual() ? logentry.asText() : text(logentry, "formatted");
        String template = logentry.isObject() ? text(logentry, "message") : null;
        List<String> fingerprint = null;
        if (e.path("fingerprint").isArray()) {
            fingerprint = new ArrayList<>();
            for (JsonNode f : e.path("fingerprint")) {
                fingerprint.add(f.asText());
            }
        }
        return new ErrorEvent(header, null, text(e, "level"), message, template, text(e, "logger"), text(e, "culprit"),
                exceptions, logStacktrace, fingerprint, text(e, "platform"), text(e, "transaction"), null, null,
                null, null);
    }

    /** The stack trace of the one crashed thread, else the one current thread, else the only thread. */
    private static List<StackFrame> threadFrames(JsonNode threads) {
        List<JsonNode> all = new ArrayList<>();
        (threads.isArray() ? threads : threads.path("values")).forEach(all::add);
        for (String flag : List.of("crashed", "current")) {
            List<JsonNode> picked = all.stream().filter(th -> th.path(flag).asBoolean(false)).toList();
            if (picked.size() == 1) {
                return frames(picked.get(0).path("stacktrace"));
            }
        }
        return all.size() == 1 ? frames(all.get(0).path("stacktrace")) : List.of();
    }

    private static List<StackFrame> frames(JsonNode stacktrace) {
        List<StackFrame> out = new ArrayList<>();
        for (JsonNode f : stacktrace.path("frames")) {
            out.add(new StackFrame(text(f, "function"), text(f, "module"), text(f, "filename"), text(f, "abs_path"),
                    f.has("lineno") && !f.get("lineno").isNull() ? f.get("lineno").asInt() : null,
                    f.has("colno") && !f.get("colno").isNull() ? f.get("colno").asInt() : null,
                    f.has("in_app") && !f.get("in_app").isNull() ? f.get("in_app").asBoolean() : null,
                    text(f, "context_line"), null, null, null, text(f, "platform")));
        }
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
