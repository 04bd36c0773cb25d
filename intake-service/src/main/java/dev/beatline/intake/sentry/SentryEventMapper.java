package dev.beatline.intake.sentry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beatline.intake.internal.Json;
import dev.beatline.intake.internal.ValidationException;
import dev.beatline.model.Agent;
import dev.beatline.model.AttachmentEvent;
import dev.beatline.model.Breadcrumb;
import dev.beatline.model.CanonicalEvent;
import dev.beatline.model.ClientReportEvent;
import dev.beatline.model.ErrorEvent;
import dev.beatline.model.EventCodec;
import dev.beatline.model.EventHeader;
import dev.beatline.model.ExceptionInfo;
import dev.beatline.model.FeedbackEvent;
import dev.beatline.model.Host;
import dev.beatline.model.HttpRequest;
import dev.beatline.model.LogEvent;
import dev.beatline.model.Service;
import dev.beatline.model.SessionEvent;
import dev.beatline.model.SourceProtocol;
import dev.beatline.model.SpanEvent;
import dev.beatline.model.StackFrame;
import dev.beatline.model.TraceContext;
import dev.beatline.model.TransactionEvent;
import dev.beatline.model.User;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the items of a Sentry envelope into canonical events. Pure and thread-safe.
 * <ul>
 * <li>{@code event} → {@link ErrorEvent}; {@code transaction} → {@link TransactionEvent} + one {@link SpanEvent}
 * per span; {@code span} items (single spans and v2 containers) → spans, segment roots → transactions;
 * {@code log} containers → {@link LogEvent}s; {@code session}/{@code sessions} → {@link SessionEvent}s;
 * {@code user_report}/{@code feedback} → {@link FeedbackEvent}; {@code client_report} →
 * {@link ClientReportEvent}; {@code attachment} → {@link AttachmentEvent} (metadata only). Other types are
 * ignored, as Relay does.</li>
 * <li>Service name (Sentry has none): the tag {@code service}, else {@code contexts.app.app_identifier}, else
 * the project's slug (a Sentry project usually is one service).</li>
 * <li>An item that is not valid JSON or breaks a rule is skipped and reported in {@link Result#rejected()};
 * the other items are kept.</li>
 * </ul>
 */
public final class SentryEventMapper {

    /** At most this many session updates and aggregate buckets per envelope (Relay's {@code max_session_count}). */
    public static final int MAX_SESSIONS = 100;

    /**
     * The outcome of mapping one envelope.
     *
     * @param eventId  the id to answer with ({@code {"id": …}}), null when the envelope held no event or transaction
     * @param events   the canonical events to publish
     * @param rejected why items were skipped, one entry per skipped item
     * @param ignored  items of types Beatline does not keep
     */
    public record Result(String eventId, List<CanonicalEvent> events, List<String> rejected, int ignored) {
    }

    /**
     * @throws EnvelopeFormatException when the envelope breaks an envelope-level rule (bad event id, more
     *                                 than one event or transaction)
     * @throws ItemTooLargeException   when it holds more sessions than allowed
     */
    public Result map(SentryEnvelope envelope, SentryRequestContext ctx) {
        String envelopeEventId = SentryIds.normalize(envelope.header("event_id"));
        checkCardinality(envelope);
        Envelope env = new Envelope(envelope.headers(), envelopeEventId, ctx);
        List<CanonicalEvent> out = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        int ignored = 0;
        String answerId = null;
        int index = 0;
        for (SentryEnvelope.Item item : envelope.items()) {
            index++;
            try {
                switch (item.type()) {
                    case "event" -> answerId = mapEvent(json(item), env, out);
                    case "transaction" -> answerId = mapTransaction(json(item), env, out);
                    case "span" -> mapSpanItem(json(item), env, out);
                    case "log" -> mapLogs(json(item), env, out);
                    case "session" -> out.add(session(json(item), env));
                    case "sessions" -> out.addAll(sessionAggregates(json(item), env));
                    case "user_report" -> out.add(userReport(json(item), env));
                    case "feedback" -> out.add(feedback(json(item), env));
                    case "client_report" -> out.add(clientReport(json(item), env));
                    case "attachment" -> out.add(attachment(item, env, index));
                    default -> ignored++;
                }
            } catch (ValidationException e) {
                rejected.add(item.type() + ": " + e.getMessage());
            }
        }
        if (answerId == null && envelopeEventId != null && hasEventOrTransaction(envelope)) {
            answerId = envelopeEventId;
        }
        return new Result(answerId, out, rejected, ignored);
    }

    /** Maps one legacy {@code /store/} body (a JSON event or transaction) as an envelope of one item would be. */
    public Result mapStoreBody(JsonNode event, SentryRequestContext ctx) {
        if (event == null || !event.isObject()) {
            throw new ValidationException("invalid JSON data: the event must be a JSON object");
        }
        String type = "transaction".equals(text(event, "type")) ? "transaction" : "event";
        String id = event.hasNonNull("event_id") ? SentryIds.normalize(text(event, "event_id")) : SentryIds.random();
        ObjectNode headers = EventCodec.mapper().createObjectNode().put("event_id", id);
        byte[] payload;
        try {
            payload = EventCodec.mapper().writeValueAsBytes(event);
        } catch (IOException e) {
            throw new ValidationException("invalid JSON data: " + e.getMessage());
        }
        ObjectNode itemHeaders = EventCodec.mapper().createObjectNode().put("type", type);
        return map(new SentryEnvelope(headers, List.of(new SentryEnvelope.Item(type, itemHeaders, payload))), ctx);
    }

    private static void checkCardinality(SentryEnvelope envelope) {
        int events = 0;
        int transactions = 0;
        int sessions = 0;
        for (SentryEnvelope.Item item : envelope.items()) {
            switch (item.type()) {
                case "event" -> events++;
                case "transaction" -> transactions++;
                case "session" -> sessions++;
                default -> {
                }
            }
        }
        if (events > 1 || transactions > 1 || events + transactions > 1) {
            throw new EnvelopeFormatException("duplicate event or transaction item");
        }
        if (sessions > MAX_SESSIONS) {
            throw new ItemTooLargeException("session");
        }
    }

    private static boolean hasEventOrTransaction(SentryEnvelope envelope) {
        return envelope.items().stream().anyMatch(i -> i.type().equals("event") || i.type().equals("transaction"));
    }

    private static JsonNode json(SentryEnvelope.Item item) {
        JsonNode node;
        try {
            node = EventCodec.mapper().readTree(item.payload());
        } catch (IOException e) {
            String msg = e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe ? jpe.getOriginalMessage()
                    : e.getMessage();
            throw new ValidationException("invalid JSON data: " + msg);
        }
        if (node == null || !node.isObject()) {
            throw new ValidationException("invalid JSON data: the payload must be a JSON object");
        }
        return node;
    }

    /** The envelope-wide facts every item's header draws on. */
    private record Envelope(ObjectNode headers, String eventId, SentryRequestContext ctx) {

        Agent sdk() {
            return agent(Json.get(headers, "sdk"));
        }

        /** The dynamic sampling context ({@code trace} header). */
        JsonNode dsc() {
            return Json.get(headers, "trace");
        }
    }

    // ---------------------------------------------------------------------------------------------- events

    private String mapEvent(JsonNode e, Envelope env, List<CanonicalEvent> out) {
        String eventId = eventId(e, env);
        SentryRequestContext ctx = env.ctx();
        JsonNode trace = Json.path(e, "contexts.trace");
        List<ExceptionInfo> exceptions = exceptions(e);
        Message message = message(e);
        List<StackFrame> logStack = frames(Json.get(e, "stacktrace"));
        if (logStack.isEmpty() && exceptions.isEmpty()) {
            logStack = frames(Json.get(threadOfInterest(e), "stacktrace"));
        }
        out.add(new ErrorEvent(
                header(e, eventId, env, timestamp(e, "timestamp", ctx.receivedAt())),
                trace == null ? null : new TraceContext(text(trace, "trace_id"), null, text(trace, "span_id")),
                text(e, "level"),
                message.formatted(),
                message.template(),
                text(e, "logger"),
                text(e, "culprit"),
                exceptions,
                logStack,
                fingerprint(e),
                textOr(e, "platform", "other"),
                text(e, "transaction"),
                null,
                request(Json.get(e, "request")),
                breadcrumbs(Json.get(e, "breadcrumbs")),
                contexts(e)));
        return eventId;
    }

    private static String eventId(JsonNode e, Envelope env) {
        if (env.eventId() != null) {
            return env.eventId();
        }
        String id = text(e, "event_id");
        return id == null ? SentryIds.random() : SentryIds.normalize(id);
    }

    private record Message(String formatted, String template) {
    }

    /**
     * {@code logentry} ({@code formatted}, {@code message}, {@code params}) or the legacy {@code message} (a
     * string, or an object shaped like logentry). The template is what grouping uses.
     */
    private static Message message(JsonNode e) {
        JsonNode logentry = Json.get(e, "logentry");
        JsonNode legacy = Json.get(e, "message");
        if (logentry == null && legacy != null && legacy.isObject()) {
            logentry = legacy;
        }
        String formatted = logentry == null ? null : text(logentry, "formatted");
        String template = logentry == null ? null : text(logentry, "message");
        if (formatted == null && legacy != null && legacy.isTextual()) {
            formatted = legacy.asText();
        }
        if (formatted == null && template != null) {
            formatted = format(template, Json.get(logentry, "params"));
        }
        return new Message(formatted, template);
    }

    /** Substitutes {@code %s}/{@code %d}/{@code {}} placeholders in order, as SDK loggers write them. */
    static String format(String template, JsonNode params) {
        if (params == null || !params.isArray() || params.isEmpty()) {
            return template;
        }
        StringBuilder sb = new StringBuilder();
        int p = 0;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            boolean placeholder = i + 1 < template.length()
                    && ((c == '%' && "sd".indexOf(template.charAt(i + 1)) >= 0) || (c == '{' && template.charAt(i + 1) == '}'));
            if (placeholder && p < params.size()) {
                JsonNode v = params.get(p++);
                sb.append(v.isTextual() ? v.asText() : v.toString());
                i++;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** {@code exception.values}, a flat list, or a single exception object; order kept (root cause first). */
    private static List<ExceptionInfo> exceptions(JsonNode e) {
        JsonNode ex = Json.get(e, "exception");
        if (ex == null) {
            return List.of();
        }
        JsonNode values;
        JsonNode containerMechanism = null;
        if (ex.isArray()) {
            values = ex;
        } else if (ex.isObject() && Json.get(ex, "values") != null) {
            values = Json.get(ex, "values");
            containerMechanism = Json.get(ex, "mechanism");
        } else if (ex.isObject()) {
            values = EventCodec.mapper().createArrayNode().add(ex);
        } else {
            throw new ValidationException("'exception' must be an object or a list");
        }
        List<ExceptionInfo> out = new ArrayList<>();
        int i = 0;
        for (JsonNode v : values) {
            i++;
            if (!v.isObject()) {
                continue;
            }
            JsonNode mechanism = Json.get(v, "mechanism");
            if (mechanism == null && i == values.size()) {
                mechanism = containerMechanism;
            }
            Boolean handled = mechanism != null && Json.get(mechanism, "handled") != null
                    ? mechanism.get("handled").asBoolean() : null;
            out.add(new ExceptionInfo(text(v, "type"), text(v, "value"), text(v, "module"), handled,
                    mechanism == null || !mechanism.isObject() ? null : plainMap(mechanism),
                    frames(Json.get(v, "stacktrace"))));
        }
        return out;
    }

    /** The thread whose stack explains a message: the crashed one, else the current one, else the only one. */
    private static JsonNode threadOfInterest(JsonNode e) {
        JsonNode threads = Json.get(e, "threads");
        JsonNode values = threads == null ? null : threads.isArray() ? threads : Json.get(threads, "values");
        if (values == null || !values.isArray() || values.isEmpty()) {
            return null;
        }
        for (String flag : List.of("crashed", "current")) {
            for (JsonNode t : values) {
                if (t.path(flag).asBoolean(false)) {
                    return t;
                }
            }
        }
        return values.size() == 1 ? values.get(0) : null;
    }

    /** Frames as sent: Sentry's order is already the canonical one (outermost call first). */
    static List<StackFrame> frames(JsonNode stacktrace) {
        JsonNode frames = Json.get(stacktrace, "frames");
        if (frames == null || !frames.isArray()) {
            return List.of();
        }
        List<StackFrame> out = new ArrayList<>(frames.size());
        for (JsonNode f : frames) {
            if (!f.isObject()) {
                continue;
            }
            JsonNode inApp = Json.get(f, "in_app");
            JsonNode vars = Json.get(f, "vars");
            out.add(new StackFrame(text(f, "function"), text(f, "module"), text(f, "filename"), text(f, "abs_path"),
                    integer(f, "lineno"), integer(f, "colno"), inApp == null ? null : inApp.asBoolean(),
                    text(f, "context_line"), Json.strings(f, "pre_context"), Json.strings(f, "post_context"),
                    vars != null && vars.isObject() ? plainMap(vars) : null, text(f, "platform")));
        }
        return out;
    }

    private static List<String> fingerprint(JsonNode e) {
        JsonNode f = Json.get(e, "fingerprint");
        if (f == null) {
            return null;
        }
        if (f.isTextual()) {
            return List.of(f.asText());
        }
        if (!f.isArray()) {
            throw new ValidationException("'fingerprint' must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        f.forEach(v -> {
            if (!v.isNull()) {
                out.add(v.isTextual() ? v.asText() : v.toString());
            }
        });
        return out.isEmpty() ? null : out;
    }

    private static HttpRequest request(JsonNode r) {
        if (r == null || !r.isObject()) {
            return null;
        }
        JsonNode query = Json.get(r, "query_string");
        String queryString = query == null ? null : query.isTextual() ? query.asText() : queryString(query);
        JsonNode cookies = Json.get(r, "cookies");
        Map<String, Object> cookieMap = cookies == null ? null
                : cookies.isTextual() ? Map.of("cookie", cookies.asText()) : pairsOrMap(cookies);
        JsonNode env = Json.get(r, "env");
        return new HttpRequest(text(r, "method"), text(r, "url"), queryString, pairsOrMap(Json.get(r, "headers")),
                cookieMap, Json.plain(Json.get(r, "data")), env != null && env.isObject() ? plainMap(env) : null, null);
    }

    /** Sentry sends query strings as text, as an object, or as a list of pairs. */
    private static String queryString(JsonNode query) {
        Map<String, Object> m = pairsOrMap(query);
        if (m == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "&").append(k).append('=').append(v));
        return sb.toString();
    }

    private static List<Breadcrumb> breadcrumbs(JsonNode b) {
        JsonNode values = b == null ? null : b.isArray() ? b : Json.get(b, "values");
        if (values == null || !values.isArray()) {
            return List.of();
        }
        List<Breadcrumb> out = new ArrayList<>(values.size());
        for (JsonNode v : values) {
            if (!v.isObject()) {
                continue;
            }
            JsonNode data = Json.get(v, "data");
            out.add(new Breadcrumb(timestamp(v, "timestamp", null), text(v, "type"), text(v, "category"),
                    text(v, "level"), text(v, "message"), data != null && data.isObject() ? plainMap(data) : null));
        }
        return out;
    }

    /** Sentry contexts plus {@code extra}, {@code modules}, {@code dist} and {@code measurements}, for display. */
    private static Map<String, Object> contexts(JsonNode e) {
        Map<String, Object> out = new LinkedHashMap<>();
        JsonNode contexts = Json.get(e, "contexts");
        if (contexts != null && contexts.isObject()) {
            out.putAll(plainMap(contexts));
        }
        for (String field : List.of("extra", "modules", "dist", "measurements", "transaction_info")) {
            JsonNode v = Json.get(e, field);
            if (v != null) {
                out.put(field, Json.plain(v));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------ transactions, spans

    private String mapTransaction(JsonNode t, Envelope env, List<CanonicalEvent> out) {
        String eventId = eventId(t, env);
        SentryRequestContext ctx = env.ctx();
        JsonNode trace = Json.path(t, "contexts.trace");
        String traceId = text(trace, "trace_id");
        String spanId = text(trace, "span_id");
        Instant end = timestamp(t, "timestamp", ctx.receivedAt());
        Instant start = timestamp(t, "start_timestamp", end);
        double representative = representativeCount(env);
        EventHeader header = header(t, eventId, env, start);
        String status = text(trace, "status");
        JsonNode spans = Json.get(t, "spans");
        int spanCount = spans != null && spans.isArray() ? spans.size() : 0;
        out.add(new TransactionEvent(header, new TraceContext(traceId, spanId, text(trace, "parent_span_id")), spanId,
                textOr(t, "transaction", "<unlabeled transaction>"), text(trace, "op"), status, outcome(status),
                micros(start, end), true, representative, spanCount, 0, statusCode(t), request(Json.get(t, "request")),
                null, contexts(t)));
        if (spanCount > 0) {
            for (JsonNode s : spans) {
                if (s.isObject()) {
                    out.add(span(SpanView.v1(s, end), header, spanId, start, representative));
                }
            }
        }
        return eventId;
    }

    /** {@code 1/sample_rate} from the envelope's dynamic sampling context; 1 when it names none. */
    private static double representativeCount(Envelope env) {
        String rate = text(env.dsc(), "sample_rate");
        if (rate == null) {
            return 1;
        }
        try {
            double r = Double.parseDouble(rate);
            return r <= 0 ? 0 : 1 / r;
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** Sentry's failure rate counts every span status except {@code ok}, {@code cancelled} and {@code unknown}. */
    static String outcome(String status) {
        if (status == null || status.equals("unknown") || status.equals("cancelled")) {
            return "unknown";
        }
        return status.equals("ok") ? "success" : "failure";
    }

    private static Integer statusCode(JsonNode t) {
        JsonNode code = Json.path(t, "contexts.response.status_code");
        if (code == null) {
            code = Json.path(t, "contexts.trace.data.http.response.status_code");
        }
        if (code == null) {
            JsonNode tags = Json.get(t, "tags");
            code = tags != null && tags.isObject() ? Json.get(tags, "http.status_code") : null;
        }
        if (code == null) {
            return null;
        }
        try {
            return code.isNumber() ? code.asInt() : Integer.valueOf(code.asText());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A span as read from a transaction's {@code spans}, a {@code span} item, or a v2 span container. */
    private record SpanView(String traceId, String spanId, String parentSpanId, String segmentId, boolean segment,
            String op, String name, String status, Instant start, Instant end, Map<String, Object> data,
            Map<String, Object> attributes) {

        static SpanView v1(JsonNode s, Instant fallbackEnd) {
            Instant end = timestamp(s, "timestamp", fallbackEnd);
            JsonNode data = Json.get(s, "data");
            JsonNode isSegment = Json.get(s, "is_segment");
            return new SpanView(text(s, "trace_id"), text(s, "span_id"), text(s, "parent_span_id"),
                    text(s, "segment_id"), isSegment != null && isSegment.asBoolean(), text(s, "op"),
                    text(s, "description"), text(s, "status"), timestamp(s, "start_timestamp", end), end,
                    data != null && data.isObject() ? plainMap(data) : Map.of(), Map.of());
        }

        /** Span v2: {@code name}, {@code status ok|error}, {@code end_timestamp}, typed {@code attributes}. */
        static SpanView v2(JsonNode s, Instant receivedAt) {
            Map<String, Object> attributes = new LinkedHashMap<>();
            JsonNode attrs = Json.get(s, "attributes");
            if (attrs != null && attrs.isObject()) {
                attrs.fields().forEachRemaining(a -> attributes.put(a.getKey(),
                        Json.plain(a.getValue().isObject() && a.getValue().has("value") ? a.getValue().get("value") : a.getValue())));
            }
            Instant end = timestamp(s, "end_timestamp", receivedAt);
            Object op = attributes.get("sentry.op");
            String status = text(s, "status");
            return new SpanView(text(s, "trace_id"), text(s, "span_id"), text(s, "parent_span_id"),
                    attributes.get("sentry.segment.id") == null ? null : attributes.get("sentry.segment.id").toString(),
                    Json.get(s, "is_segment") != null ? s.get("is_segment").asBoolean() : Json.get(s, "parent_span_id") == null,
                    op == null ? null : op.toString(), text(s, "name"),
                    "error".equals(status) ? "internal_error" : status, timestamp(s, "start_timestamp", end), end,
                    Map.of(), attributes);
        }

        Object attr(String name) {
            Object v = data.get(name);
            return v != null ? v : attributes.get(name);
        }
    }

    private static SpanEvent span(SpanView s, EventHeader txHeader, String transactionId, Instant txStart,
            double representative) {
        String[] op = s.op() == null ? new String[0] : s.op().split("\\.", 3);
        Object dbSystem = s.attr("db.system");
        Object dbName = s.attr("db.name");
        Object server = s.attr("server.address");
        Map<String, Object> contexts = new LinkedHashMap<>();
        if (!s.data().isEmpty()) {
            contexts.put("data", s.data());
        }
        if (!s.attributes().isEmpty()) {
            contexts.put("attributes", s.attributes());
        }
        if (s.op() != null) {
            contexts.put("op", s.op());
        }
        if (s.status() != null) {
            contexts.put("status", s.status());
        }
        EventHeader header = new EventHeader(txHeader.schema(), s.spanId() == null ? SentryIds.random() : s.spanId(),
                txHeader.projectId(), txHeader.receivedAt(), s.start(), txHeader.source(), txHeader.service(),
                txHeader.agent(), txHeader.host(), txHeader.user(), txHeader.labels());
        return new SpanEvent(header, new TraceContext(s.traceId(), transactionId, s.parentSpanId()), s.spanId(),
                s.name() != null ? s.name() : s.op() == null ? "<unlabeled span>" : s.op(),
                op.length > 0 ? op[0] : null, op.length > 1 ? op[1] : null, op.length > 2 ? op[2] : null,
                outcome(s.status()), micros(s.start(), s.end()),
                txStart == null ? null : Duration.between(txStart, s.start()).toNanos() / 1000, representative,
                dbSystem != null ? dbSystem.toString() : server != null ? server.toString() : null,
                dbSystem == null ? null : dbSystem.toString(), dbName == null ? null : dbName.toString(), 1, 0, contexts);
    }

    /** A {@code span} item: one v1 span, or a v2 container {@code {"items":[…]}}. Segment roots become transactions. */
    private void mapSpanItem(JsonNode payload, Envelope env, List<CanonicalEvent> out) {
        List<SpanView> spans = new ArrayList<>();
        JsonNode items = Json.get(payload, "items");
        if (items != null && items.isArray()) {
            for (JsonNode s : items) {
                if (s.isObject()) {
                    spans.add(SpanView.v2(s, env.ctx().receivedAt()));
                }
            }
        } else {
            spans.add(SpanView.v1(payload, env.ctx().receivedAt()));
        }
        double representative = representativeCount(env);
        for (SpanView s : spans) {
            EventHeader header = spanHeader(s, env);
            if (s.segment()) {
                out.add(new TransactionEvent(header, new TraceContext(s.traceId(), s.spanId(), s.parentSpanId()),
                        s.spanId(), s.name() != null ? s.name() : "<unlabeled transaction>", s.op(), s.status(),
                        outcome(s.status()), micros(s.start(), s.end()), true, representative, 0, 0, null, null, null,
                        Map.of("attributes", s.attributes(), "data", s.data())));
            } else {
                out.add(span(s, header, s.segmentId(), null, representative));
            }
        }
    }

    /** A standalone span's header: release and environment from its attributes, else from the envelope's trace. */
    private static EventHeader spanHeader(SpanView s, Envelope env) {
        SentryRequestContext ctx = env.ctx();
        Object release = s.attr("sentry.release");
        Object environment = s.attr("sentry.environment");
        Service service = new Service(ctx.projectSlug(),
                release != null ? release.toString() : text(env.dsc(), "release"),
                environment != null ? environment.toString() : text(env.dsc(), "environment"),
                null, null, null, null, null, null, null);
        return new EventHeader(EventHeader.CURRENT_SCHEMA, s.spanId() == null ? SentryIds.random() : s.spanId(),
                ctx.projectId(), ctx.receivedAt(), s.start(), SourceProtocol.SENTRY, service, env.sdk(), null, null, null);
    }

    /** A {@code log} container {@code {"items":[{timestamp, trace_id, level, body, attributes}]}}. */
    private void mapLogs(JsonNode payload, Envelope env, List<CanonicalEvent> out) {
        JsonNode items = Json.get(payload, "items");
        if (items == null || !items.isArray()) {
            throw new ValidationException("a log item must hold {\"items\":[…]}");
        }
        for (JsonNode l : items) {
            if (!l.isObject()) {
                continue;
            }
            SpanView attrs = SpanView.v2(l, env.ctx().receivedAt());
            Instant ts = timestamp(l, "timestamp", env.ctx().receivedAt());
            SpanView withTime = new SpanView(attrs.traceId(), SentryIds.random(), null, null, false, null, null, null,
                    ts, ts, Map.of(), attrs.attributes());
            Object logger = attrs.attributes().get("sentry.origin");
            out.add(new LogEvent(spanHeader(withTime, env), new TraceContext(text(l, "trace_id"), null, text(l, "span_id")),
                    text(l, "body"), text(l, "level"), logger == null ? null : logger.toString(), attrs.attributes()));
        }
    }

    // --------------------------------------------------------------------------- sessions, feedback, reports

    private static SessionEvent session(JsonNode s, Envelope env) {
        SentryRequestContext ctx = env.ctx();
        JsonNode attrs = Json.get(s, "attrs");
        String sid = text(s, "sid");
        if (sid == null) {
            throw new ValidationException("a session needs a 'sid'");
        }
        if (text(attrs, "release") == null) {
            throw new ValidationException("a session needs 'attrs.release'");
        }
        long seq = s.path("seq").asLong(0);
        Instant ts = timestamp(s, "timestamp", ctx.receivedAt());
        EventHeader header = new EventHeader(EventHeader.CURRENT_SCHEMA, sid + "/" + seq, ctx.projectId(),
                ctx.receivedAt(), ts, SourceProtocol.SENTRY, sessionService(attrs, ctx), env.sdk(), null,
                sessionUser(text(s, "did"), attrs, ctx), null);
        JsonNode duration = Json.get(s, "duration");
        return new SessionEvent(header, sid, text(s, "did"), textOr(s, "status", "ok"), s.path("init").asBoolean(false),
                seq, s.path("errors").asLong(0), timestamp(s, "started", ts), duration == null ? null : duration.asDouble(),
                null);
    }

    private static List<SessionEvent> sessionAggregates(JsonNode s, Envelope env) {
        SentryRequestContext ctx = env.ctx();
        JsonNode attrs = Json.get(s, "attrs");
        if (text(attrs, "release") == null) {
            throw new ValidationException("sessions need 'attrs.release'");
        }
        JsonNode aggregates = Json.get(s, "aggregates");
        if (aggregates == null || !aggregates.isArray()) {
            throw new ValidationException("sessions need 'aggregates'");
        }
        if (aggregates.size() > MAX_SESSIONS) {
            throw new ItemTooLargeException("sessions");
        }
        List<SessionEvent> out = new ArrayList<>();
        for (JsonNode a : aggregates) {
            Instant started = timestamp(a, "started", ctx.receivedAt());
            EventHeader header = new EventHeader(EventHeader.CURRENT_SCHEMA, SentryIds.random(), ctx.projectId(),
                    ctx.receivedAt(), started, SourceProtocol.SENTRY, sessionService(attrs, ctx), env.sdk(), null,
                    sessionUser(text(a, "did"), attrs, ctx), null);
            out.add(new SessionEvent(header, null, text(a, "did"), null, false, 0, a.path("errored").asLong(0), started,
                    null, new SessionEvent.SessionCounts(a.path("exited").asLong(0), a.path("errored").asLong(0),
                            a.path("abnormal").asLong(0), a.path("crashed").asLong(0))));
        }
        return out;
    }

    private static Service sessionService(JsonNode attrs, SentryRequestContext ctx) {
        return new Service(ctx.projectSlug(), text(attrs, "release"), text(attrs, "environment"), null, null, null,
                null, null, null, null);
    }

    private static User sessionUser(String did, JsonNode attrs, SentryRequestContext ctx) {
        String ip = autoIp(text(attrs, "ip_address"), ctx);
        return did == null && ip == null ? null : new User(did, null, null, ip);
    }

    private static FeedbackEvent userReport(JsonNode r, Envelope env) {
        String associated = text(r, "event_id") != null ? SentryIds.normalize(text(r, "event_id")) : env.eventId();
        if (associated == null) {
            throw new ValidationException("a user report needs an 'event_id'");
        }
        return new FeedbackEvent(plainHeader(SentryIds.random(), env, env.ctx().receivedAt()), associated,
                text(r, "name"), text(r, "email"), text(r, "comments"), null);
    }

    /** The newer {@code feedback} item: an event whose {@code contexts.feedback} holds the message. */
    private static FeedbackEvent feedback(JsonNode e, Envelope env) {
        JsonNode f = Json.path(e, "contexts.feedback");
        if (f == null) {
            throw new ValidationException("a feedback item needs 'contexts.feedback'");
        }
        String associated = text(f, "associated_event_id");
        return new FeedbackEvent(header(e, eventId(e, env), env, timestamp(e, "timestamp", env.ctx().receivedAt())),
                associated == null ? null : SentryIds.normalize(associated), text(f, "name"), text(f, "contact_email"),
                text(f, "message"), text(f, "url"));
    }

    private static ClientReportEvent clientReport(JsonNode r, Envelope env) {
        List<ClientReportEvent.Discarded> discarded = new ArrayList<>();
        JsonNode list = Json.get(r, "discarded_events");
        if (list != null && list.isArray()) {
            for (JsonNode d : list) {
                discarded.add(new ClientReportEvent.Discarded(textOr(d, "reason", "unknown"),
                        textOr(d, "category", "default"), d.path("quantity").asLong(0)));
            }
        }
        return new ClientReportEvent(plainHeader(SentryIds.random(), env, timestamp(r, "timestamp",
                env.ctx().receivedAt())), discarded);
    }

    private static AttachmentEvent attachment(SentryEnvelope.Item item, Envelope env, int index) {
        String id = env.eventId() != null ? env.eventId() + "/" + index : SentryIds.random();
        return new AttachmentEvent(plainHeader(id, env, env.ctx().receivedAt()), env.eventId(),
                item.header("filename"), item.header("content_type") == null ? "application/octet-stream"
                        : item.header("content_type"),
                item.header("attachment_type") == null ? "event.attachment" : item.header("attachment_type"),
                item.payload().length);
    }

    /** The header of an item that is not an event: the project's service, release from the envelope's trace. */
    private static EventHeader plainHeader(String id, Envelope env, Instant timestamp) {
        SentryRequestContext ctx = env.ctx();
        return new EventHeader(EventHeader.CURRENT_SCHEMA, id, ctx.projectId(), ctx.receivedAt(), timestamp,
                SourceProtocol.SENTRY, new Service(ctx.projectSlug(), text(env.dsc(), "release"),
                        text(env.dsc(), "environment"), null, null, null, null, null, null, null),
                env.sdk(), null, null, null);
    }

    // ------------------------------------------------------------------------------------------ the header

    private static EventHeader header(JsonNode e, String eventId, Envelope env, Instant timestamp) {
        SentryRequestContext ctx = env.ctx();
        Map<String, Object> labels = tags(Json.get(e, "tags"));
        JsonNode runtime = Json.path(e, "contexts.runtime");
        String serverName = text(e, "server_name");
        Service service = new Service(serviceName(e, labels, ctx), text(e, "release"), text(e, "environment"),
                serverName, textOr(e, "platform", null), null, text(runtime, "name"), text(runtime, "version"), null,
                null);
        Agent agent = agent(Json.get(e, "sdk"));
        JsonNode os = Json.path(e, "contexts.os");
        Host host = new Host(serverName, text(Json.path(e, "contexts.device"), "arch"), text(os, "name"), null, null,
                null, ctx.clientIp());
        return new EventHeader(EventHeader.CURRENT_SCHEMA, eventId, ctx.projectId(), ctx.receivedAt(), timestamp,
                SourceProtocol.SENTRY, service, agent != null ? agent : env.sdk(), host, user(Json.get(e, "user"), ctx),
                labels);
    }

    /** The tag {@code service}, else {@code contexts.app.app_identifier}, else the project slug. */
    static String serviceName(JsonNode e, Map<String, Object> labels, SentryRequestContext ctx) {
        Object tag = labels.get("service");
        if (tag != null && !tag.toString().isBlank()) {
            return tag.toString();
        }
        String app = text(Json.path(e, "contexts.app"), "app_identifier");
        return app != null && !app.isBlank() ? app : ctx.projectSlug();
    }

    private static Agent agent(JsonNode sdk) {
        String name = text(sdk, "name");
        return name == null ? null : new Agent(name, text(sdk, "version"));
    }

    private static User user(JsonNode u, SentryRequestContext ctx) {
        if (u == null || !u.isObject()) {
            return null;
        }
        JsonNode id = Json.get(u, "id");
        User user = new User(id == null ? null : id.asText(), text(u, "username"), text(u, "email"),
                autoIp(text(u, "ip_address"), ctx));
        return user.identity() == null ? null : user;
    }

    /** {@code {{auto}}} means "the address the event came from". */
    private static String autoIp(String ip, SentryRequestContext ctx) {
        return "{{auto}}".equals(ip) ? ctx.clientIp() : ip;
    }

    /** Tags as an object or as a list of {@code [key, value]} pairs; values as strings. */
    private static Map<String, Object> tags(JsonNode tags) {
        Map<String, Object> out = pairsOrMap(tags);
        if (out == null) {
            return Map.of();
        }
        out.replaceAll((k, v) -> v == null ? "" : v.toString());
        out.values().removeIf(v -> ((String) v).isEmpty());
        return out;
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** An object, or a list of {@code [key, value]} pairs, as a map; null for anything else. */
    private static Map<String, Object> pairsOrMap(JsonNode node) {
        if (node == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> {
                if (!f.getValue().isNull()) {
                    out.put(f.getKey(), f.getValue().isTextual() ? f.getValue().asText() : Json.plain(f.getValue()));
                }
            });
            return out;
        }
        if (node.isArray()) {
            for (JsonNode pair : node) {
                if (pair.isArray() && pair.size() == 2 && !pair.get(1).isNull()) {
                    out.put(pair.get(0).asText(), pair.get(1).isTextual() ? pair.get(1).asText() : Json.plain(pair.get(1)));
                }
            }
            return out;
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> plainMap(JsonNode node) {
        return (Map<String, Object>) Json.plain(node);
    }

    /** Lenient text: strings as they are, numbers and booleans as written, anything else null. */
    private static String text(JsonNode node, String field) {
        JsonNode v = Json.get(node, field);
        if (v == null || v.isContainerNode()) {
            return null;
        }
        return v.asText();
    }

    private static String textOr(JsonNode node, String field, String fallback) {
        String s = text(node, field);
        return s == null ? fallback : s;
    }

    private static Integer integer(JsonNode node, String field) {
        JsonNode v = Json.get(node, field);
        return v != null && v.isNumber() ? v.asInt() : null;
    }

    /** Float seconds or RFC 3339; an unreadable timestamp falls back, as Relay replaces it. */
    private static Instant timestamp(JsonNode node, String field, Instant fallback) {
        try {
            Instant t = Json.secondsTimestamp(node, field, field);
            return t == null ? fallback : t;
        } catch (ValidationException e) {
            return fallback;
        }
    }

    private static long micros(Instant start, Instant end) {
        if (start == null || end == null) {
            return 0;
        }
        return Math.max(0, Duration.between(start, end).toNanos() / 1000);
    }
}
