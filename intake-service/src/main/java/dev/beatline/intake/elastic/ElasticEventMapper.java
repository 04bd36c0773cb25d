package dev.beatline.intake.elastic;

import static dev.beatline.intake.internal.Json.bool;
import static dev.beatline.intake.internal.Json.get;
import static dev.beatline.intake.internal.Json.integer;
import static dev.beatline.intake.internal.Json.number;
import static dev.beatline.intake.internal.Json.object;
import static dev.beatline.intake.internal.Json.path;
import static dev.beatline.intake.internal.Json.required;
import static dev.beatline.intake.internal.Json.string;
import static dev.beatline.intake.internal.Json.stringOrNumber;
import static dev.beatline.intake.internal.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beatline.intake.internal.Json;
import dev.beatline.intake.internal.ValidationException;
import dev.beatline.model.CanonicalEvent;
import dev.beatline.model.DroppedSpanStats;
import dev.beatline.model.ErrorEvent;
import dev.beatline.model.EventHeader;
import dev.beatline.model.ExceptionInfo;
import dev.beatline.model.HttpRequest;
import dev.beatline.model.LogEvent;
import dev.beatline.model.MetricSample;
import dev.beatline.model.MetricsetEvent;
import dev.beatline.model.Service;
import dev.beatline.model.SourceProtocol;
import dev.beatline.model.SpanEvent;
import dev.beatline.model.StackFrame;
import dev.beatline.model.TraceContext;
import dev.beatline.model.TransactionEvent;
import dev.beatline.model.User;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Maps one Elastic APM v2 event object to a canonical event, applying apm-server's validation and derivations
 * (outcome from status codes, representative count from {@code sample_rate}, breakdown-metricset filtering).
 * Pure and stateless.
 */
public final class ElasticEventMapper {

    /** What the intake knows about the request, beside the body. */
    public record RequestInfo(long projectId, Instant receivedAt, String clientIp) {
    }

    private ElasticEventMapper() {
    }

    /**
     * @param type the event's root key ({@code transaction}, {@code span}, {@code error}, {@code metricset}, {@code log})
     * @return the canonical event, or null when apm-server would silently drop it (breakdown metricset without
     *         self-time samples)
     */
    public static CanonicalEvent map(String type, JsonNode e, ElasticMetadata md, RequestInfo req) {
        if (e == null || !e.isObject()) {
            throw new ValidationException("validation error: '" + type + "' must be an object");
        }
        return switch (type) {
            case "transaction" -> transaction(e, md, req);
            case "span" -> span(e, md, req);
            case "error" -> error(e, md, req);
            case "metricset" -> metricset(e, md, req);
            case "log" -> log(e, md, req);
            default -> throw new ValidationException("did not recognize object type: \"" + type + "\"");
        };
    }

    static TransactionEvent transaction(JsonNode t, ElasticMetadata md, RequestInfo req) {
        String w = "validation error: transaction";
        String traceId = required(t, "trace_id", w);
        String id = required(t, "id", w);
        String type = required(t, "type", w);
        double durationMs = requiredDuration(t, w);
        JsonNode spanCount = get(t, "span_count");
        if (spanCount == null || get(spanCount, "started") == null) {
            throw new ValidationException(w + ": span_count: 'started' required");
        }
        JsonNode ctx = object(t, "context", w);
        Integer status = integer(path(ctx, "response"), "status_code", w + ": context.response");
        String outcome = outcome(string(t, "outcome", w), status, 500);
        boolean sampled = !Boolean.FALSE.equals(bool(t, "sampled", w));
        List<DroppedSpanStats> dropped = new ArrayList<>();
        JsonNode dss = get(t, "dropped_spans_stats");
        if (dss != null && dss.isArray()) {
            for (JsonNode d : dss) {
                JsonNode dur = get(d, "duration");
                dropped.add(new DroppedSpanStats(string(d, "destination_service_resource", w),
                        string(d, "service_target_type", w), string(d, "service_target_name", w),
                        string(d, "outcome", w), longOr(number(dur, "count", w), 1),
                        longOr(number(path(dur, "sum"), "us", w), 0)));
            }
        }
        return new TransactionEvent(header(id, t, ctx, md, req),
                new TraceContext(traceId, id, string(t, "parent_id", w)),
                id, string(t, "name", w), type, string(t, "result", w), outcome, micros(durationMs), sampled,
                representativeCount(number(t, "sample_rate", w)),
                intOr(integer(spanCount, "started", w), 0), intOr(integer(spanCount, "dropped", w), 0),
                status, request(ctx, w), dropped, contexts(ctx, "response", "custom", "message", "page", "cloud"));
    }

    static SpanEvent span(JsonNode s, ElasticMetadata md, RequestInfo req) {
        String w = "validation error: span";
        String id = required(s, "id", w);
        String traceId = required(s, "trace_id", w);
        String parentId = required(s, "parent_id", w);
        String name = required(s, "name", w);
        String type = required(s, "type", w);
        double durationMs = requiredDuration(s, w);
        Double start = number(s, "start", w);
        if (start == null && get(s, "timestamp") == null) {
            throw new ValidationException(w + ": 'start' or 'timestamp' required");
        }
        String subtype = string(s, "subtype", w);
        String action = string(s, "action", w);
        if (subtype == null && type.indexOf('.') > 0) { // legacy "db.postgresql.query"
            String[] parts = type.split("\\.", 3);
            type = parts[0];
            subtype = parts.length > 1 ? parts[1] : null;
            action = action == null && parts.length > 2 ? parts[2] : action;
        }
        JsonNode ctx = object(s, "context", w);
        JsonNode http = path(ctx, "http");
        Integer status = integer(path(http, "response"), "status_code", w);
        if (status == null) {
            status = integer(http, "status_code", w);
        }
        String resource = string(path(ctx, "destination.service"), "resource", w);
        JsonNode target = path(ctx, "service.target");
        String targetType = string(target, "type", w);
        String targetName = string(target, "name", w);
        if (targetType == null && resource != null) { // apm-server derives the target from the resource
            targetType = subtype != null ? subtype : type;
            targetName = resource.equals(targetType) ? null : resource;
        }
        JsonNode composite = object(s, "composite", w);
        int compositeCount = intOr(integer(composite, "count", w), 1);
        long compositeSum = composite == null ? 0 : micros(orZero(number(composite, "sum", w)));
        Instant ts = Json.timestamp(s, "timestamp", w);
        if (ts == null && start != null) {
            ts = req.receivedAt().plusNanos((long) (start * 1_000_000));
        }
        EventHeader header = header(id, ts, ctx, md, req);
        return new SpanEvent(header, new TraceContext(traceId, string(s, "transaction_id", w), parentId),
                id, name, type, subtype, action, outcome(string(s, "outcome", w), status, 400), micros(durationMs),
                start == null ? null : micros(start), representativeCount(number(s, "sample_rate", w)),
                resource, targetType, targetName, compositeCount, compositeSum,
                contexts(ctx, "db", "http", "destination", "message"));
    }

    static ErrorEvent error(JsonNode e, ElasticMetadata md, RequestInfo req) {
        String w = "validation error: error";
        String id = required(e, "id", w);
        String traceId = string(e, "trace_id", w);
        String parentId = string(e, "parent_id", w);
        String transactionId = string(e, "transaction_id", w);
        if (traceId != null || parentId != null || transactionId != null) {
            if (parentId == null) {
                throw new ValidationException(w + ": 'parent_id' required");
            }
            if (traceId == null) {
                throw new ValidationException(w + ": 'trace_id' required");
            }
        }
        JsonNode exception = object(e, "exception", w);
        JsonNode log = object(e, "log", w);
        if (exception == null && log == null) {
            throw new ValidationException(w + ": 'exception' or 'log' required");
        }
        List<ExceptionInfo> chain = new ArrayList<>();
        if (exception != null) {
            if (get(exception, "message") == null && get(exception, "type") == null) {
                throw new ValidationException(w + ": exception: 'message' or 'type' required");
            }
            flatten(exception, chain, w + ": exception");
            Collections.reverse(chain); // canonical order: root cause first, thrown exception last
        }
        String logMessage = null;
        String paramMessage = null;
        String level = null;
        String logger = null;
        List<StackFrame> logFrames = null;
        if (log != null) {
            logMessage = text(log, "message", w + ": log");
            if (logMessage == null) {
                throw new ValidationException(w + ": log: 'message' required");
            }
            paramMessage = text(log, "param_message", w + ": log");
            level = string(log, "level", w + ": log");
            logger = string(log, "logger_name", w + ": log");
            logFrames = frames(get(log, "stacktrace"), w + ": log");
        }
        JsonNode ctx = object(e, "context", w);
        JsonNode tx = object(e, "transaction", w);
        String message = logMessage != null ? logMessage : exception == null ? null : text(exception, "message", w);
        return new ErrorEvent(header(id, e, ctx, md, req), new TraceContext(traceId, transactionId, parentId),
                level, message, paramMessage, logger, string(e, "culprit", w), chain, logFrames, null,
                platform(md), string(tx, "name", w), string(tx, "type", w), request(ctx, w), null,
                contexts(ctx, "response", "custom", "message", "page"));
    }

    static MetricsetEvent metricset(JsonNode m, ElasticMetadata md, RequestInfo req) {
        String w = "validation error: metricset";
        JsonNode samples = get(m, "samples");
        if (samples == null || !samples.isObject()) {
            throw new ValidationException(w + ": 'samples' required");
        }
        JsonNode tx = object(m, "transaction", w);
        JsonNode span = object(m, "span", w);
        boolean breakdown = tx != null;
        Map<String, MetricSample> out = new LinkedHashMap<>();
        var it = samples.fields();
        while (it.hasNext()) {
            var s = it.next();
            String name = s.getKey();
            if (name.indexOf('*') >= 0 || name.indexOf('"') >= 0) {
                throw new ValidationException(w + ": samples: '" + name + "' must not contain '*' or '\"'");
            }
            if (breakdown && !name.startsWith("span.self_time.")) {
                continue;
            }
            JsonNode v = s.getValue();
            List<Double> values = null;
            List<Long> counts = null;
            JsonNode vs = get(v, "values");
            if (vs != null) {
                values = new ArrayList<>();
                counts = new ArrayList<>();
                for (JsonNode x : vs) {
                    values.add(x.asDouble());
                }
                JsonNode cs = get(v, "counts");
                if (cs != null) {
                    for (JsonNode x : cs) {
                        counts.add(x.asLong());
                    }
                }
            } else if (number(v, "value", w + ": samples: " + name) == null) {
                throw new ValidationException(w + ": samples: " + name + ": 'value' or 'values' required");
            }
            out.put(name, new MetricSample(string(v, "type", w), string(v, "unit", w), number(v, "value", w), values, counts));
        }
        if (breakdown && out.isEmpty()) {
            return null;
        }
        Instant ts = Json.timestamp(m, "timestamp", w);
        Map<String, Object> labels = merge(md.labels(), Json.labels(get(m, "tags"), w + ": tags"));
        EventHeader header = new EventHeader(EventHeader.CURRENT_SCHEMA, UUID.randomUUID().toString(), req.projectId(),
                req.receivedAt(), ts, SourceProtocol.ELASTIC_APM, serviceOverride(md.service(), get(m, "service")),
                md.agent(), md.host(), md.user(), labels);
        return new MetricsetEvent(header, breakdown ? "span_breakdown" : "app", out, string(tx, "name", w),
                string(tx, "type", w), string(span, "type", w), string(span, "subtype", w));
    }

    static LogEvent log(JsonNode l, ElasticMetadata md, RequestInfo req) {
        String w = "validation error: log";
        Instant ts = Json.timestamp(l, "@timestamp", w);
        String message = dotted(l, "message");
        Map<String, Object> fields = Json.map(l, "labels");
        EventHeader header = new EventHeader(EventHeader.CURRENT_SCHEMA, UUID.randomUUID().toString(), req.projectId(),
                req.receivedAt(), ts, SourceProtocol.ELASTIC_APM, md.service(), md.agent(), md.host(), md.user(),
                merge(md.labels(), Json.labels(get(l, "labels"), w + ": labels")));
        return new LogEvent(header, new TraceContext(dotted(l, "trace.id"), dotted(l, "transaction.id"), dotted(l, "span.id")),
                message, dotted(l, "log.level"), dotted(l, "log.logger"), fields);
    }

    // --- helpers ---------------------------------------------------------------------------------------

    private static EventHeader header(String id, JsonNode event, JsonNode ctx, ElasticMetadata md, RequestInfo req) {
        return header(id, Json.timestamp(event, "timestamp", "validation error"), ctx, md, req);
    }

    private static EventHeader header(String id, Instant ts, JsonNode ctx, ElasticMetadata md, RequestInfo req) {
        User user = md.user();
        JsonNode u = object(ctx, "user", "validation error: context");
        if (u != null) {
            user = new User(stringOrNumber(u, "id", "context.user"), string(u, "username", "context.user"),
                    string(u, "email", "context.user"), null);
        }
        Map<String, Object> labels = merge(md.labels(), Json.labels(get(ctx, "tags"), "validation error: context: tags"));
        return new EventHeader(EventHeader.CURRENT_SCHEMA, id, req.projectId(), req.receivedAt(), ts,
                SourceProtocol.ELASTIC_APM, serviceOverride(md.service(), get(ctx, "service")), md.agent(), md.host(),
                user, labels);
    }

    /** Event-level {@code context.service} overrides the metadata's service fields that it sets. */
    private static Service serviceOverride(Service s, JsonNode o) {
        if (o == null) {
            return s;
        }
        String w = "validation error: context: service";
        return new Service(or(string(o, "name", w), s.name()), or(string(o, "version", w), s.version()),
                or(string(o, "environment", w), s.environment()),
                or(string(path(o, "node"), "configured_name", w), s.nodeName()),
                or(string(path(o, "language"), "name", w), s.language()), s.languageVersion(),
                or(string(path(o, "runtime"), "name", w), s.runtime()), s.runtimeVersion(),
                or(string(path(o, "framework"), "name", w), s.framework()), s.frameworkVersion());
    }

    private static Map<String, Object> merge(Map<String, Object> global, Map<String, Object> event) {
        if (event == null || event.isEmpty()) {
            return global;
        }
        if (global == null || global.isEmpty()) {
            return event;
        }
        Map<String, Object> m = new LinkedHashMap<>(global);
        m.putAll(event);
        return m;
    }

    private static void flatten(JsonNode ex, List<ExceptionInfo> out, String w) {
        Map<String, Object> mechanism = null;
        String code = stringOrNumber(ex, "code", w);
        if (code != null) {
            mechanism = Map.of("code", code);
        }
        out.add(new ExceptionInfo(string(ex, "type", w), text(ex, "message", w), string(ex, "module", w),
                bool(ex, "handled", w), mechanism, frames(get(ex, "stacktrace"), w)));
        JsonNode causes = get(ex, "cause");
        if (causes != null && causes.isArray()) {
            for (JsonNode c : causes) {
                flatten(c, out, w + ": cause");
            }
        }
    }

    /** Elastic frames come innermost first; canonical frames are outermost first. */
    private static List<StackFrame> frames(JsonNode st, String w) {
        if (st == null || !st.isArray()) {
            return null;
        }
        List<StackFrame> frames = new ArrayList<>(st.size());
        for (JsonNode f : st) {
            String filename = string(f, "filename", w + ": stacktrace");
            String classname = string(f, "classname", w + ": stacktrace");
            if (filename == null && classname == null) {
                throw new ValidationException(w + ": stacktrace: 'filename' or 'classname' required");
            }
            Boolean library = bool(f, "library_frame", w);
            String module = or(string(f, "module", w), classname);
            frames.add(new StackFrame(string(f, "function", w), module, filename, string(f, "abs_path", w),
                    integer(f, "lineno", w), integer(f, "colno", w), library == null ? null : !library,
                    text(f, "context_line", w), Json.strings(f, "pre_context"), Json.strings(f, "post_context"),
                    Json.map(f, "vars"), null));
        }
        Collections.reverse(frames);
        return frames;
    }

    private static HttpRequest request(JsonNode ctx, String w) {
        JsonNode r = object(ctx, "request", w);
        if (r == null) {
            return null;
        }
        String method = required(r, "method", w + ": context: request");
        JsonNode url = get(r, "url");
        String full = url == null ? null : or(string(url, "full", w), string(url, "raw", w));
        String search = url == null ? null : string(url, "search", w);
        return new HttpRequest(method, full, search == null || search.isEmpty() ? null : search.replaceFirst("^\\?", ""),
                Json.map(r, "headers"), Json.map(r, "cookies"), Json.plain(get(r, "body")), Json.map(r, "env"),
                string(r, "http_version", w));
    }

    private static Map<String, Object> contexts(JsonNode ctx, String... keys) {
        if (ctx == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : keys) {
            JsonNode v = get(ctx, k);
            if (v != null) {
                out.put(k, Json.plain(v));
            }
        }
        return out;
    }

    private static String platform(ElasticMetadata md) {
        String lang = md.service().language();
        return lang == null ? "other" : lang.toLowerCase();
    }

    /** Logs keep keys flat-dotted or nested; nested wins. */
    private static String dotted(JsonNode l, String key) {
        JsonNode nested = path(l, key);
        if (nested != null && nested.isValueNode()) {
            return nested.asText();
        }
        JsonNode flat = get(l, key);
        return flat != null && flat.isValueNode() ? flat.asText() : null;
    }

    /** failure when the status is at or above {@code failureFrom}, success below, unknown without status. */
    static String outcome(String sent, Integer status, int failureFrom) {
        if (sent != null) {
            if (!sent.equals("success") && !sent.equals("failure") && !sent.equals("unknown")) {
                throw new ValidationException("validation error: 'outcome' must be one of success, failure, unknown");
            }
            return sent;
        }
        if (status == null) {
            return "unknown";
        }
        return status >= failureFrom ? "failure" : "success";
    }

    /** {@code 1/sample_rate}; 0 when the rate is 0; 1 when absent. */
    static double representativeCount(Double sampleRate) {
        if (sampleRate == null) {
            return 1.0;
        }
        if (sampleRate < 0 || sampleRate > 1) {
            throw new ValidationException("validation error: 'sample_rate' must be between 0 and 1");
        }
        return sampleRate == 0 ? 0.0 : 1.0 / sampleRate;
    }

    private static double requiredDuration(JsonNode n, String w) {
        Double d = number(n, "duration", w);
        if (d == null) {
            throw new ValidationException(w + ": 'duration' required");
        }
        if (d < 0) {
            throw new ValidationException(w + ": 'duration' must be at least 0");
        }
        return d;
    }

    private static long micros(double ms) {
        return Math.round(ms * 1000.0);
    }

    private static double orZero(Double d) {
        return d == null ? 0 : d;
    }

    private static long longOr(Double d, long dflt) {
        return d == null ? dflt : Math.round(d);
    }

    private static int intOr(Integer i, int dflt) {
        return i == null ? dflt : i;
    }

    private static String or(String a, String b) {
        return a != null ? a : b;
    }
}
