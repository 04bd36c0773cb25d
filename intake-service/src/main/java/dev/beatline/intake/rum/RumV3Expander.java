package dev.beatline.intake.rum;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beatline.intake.internal.ValidationException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns RUM v3's abbreviated objects ({@code m}, {@code x}, {@code e}; schemas in {@code spec/rumv3}) into the
 * v2 objects the event mapper reads. A {@code x} line becomes its transaction, its nested spans ({@code y},
 * parents resolved from {@code pi}) and its breakdown metricsets ({@code me}, named after the transaction).
 * Keys not in the tables are kept as they are (lenient, as apm-server ignores unknown fields). Pure.
 */
public final class RumV3Expander {

    /** One v2 event: its root key and object. */
    public record V2Event(String type, JsonNode body) {
    }

    /** How the keys of one object are renamed; a child table applies to the value (each element for arrays). */
    private static final class Table {
        final Map<String, String> names = new LinkedHashMap<>();
        final Map<String, Table> children = new LinkedHashMap<>();

        Table put(String from, String to) {
            names.put(from, to);
            return this;
        }

        Table put(String from, String to, Table child) {
            names.put(from, to);
            children.put(from, child);
            return this;
        }
    }

    private static final Table NAME_VERSION = new Table().put("n", "name").put("ve", "version");
    private static final Table SERVICE = new Table().put("n", "name").put("ve", "version").put("en", "environment")
            .put("a", "agent", NAME_VERSION).put("fw", "framework", NAME_VERSION).put("la", "language", NAME_VERSION)
            .put("ru", "runtime", NAME_VERSION);
    private static final Table USER = new Table().put("em", "email").put("un", "username").put("ud", "domain");
    private static final Table METADATA = new Table().put("se", "service", SERVICE).put("u", "user", USER)
            .put("l", "labels").put("n", "network", new Table().put("c", "connection", new Table().put("t", "type")));
    private static final Table FRAME = new Table().put("ap", "abs_path").put("cli", "context_line")
            .put("cn", "classname").put("co", "colno").put("f", "filename").put("fn", "function").put("li", "lineno")
            .put("mo", "module").put("poc", "post_context").put("prc", "pre_context");
    private static final Table RESPONSE = new Table().put("sc", "status_code").put("ts", "transfer_size")
            .put("ebs", "encoded_body_size").put("dbs", "decoded_body_size").put("he", "headers");
    private static final Table CONTEXT = new Table()
            .put("q", "request", new Table().put("mt", "method").put("he", "headers").put("hve", "http_version")
                    .put("en", "env"))
            .put("r", "response", RESPONSE).put("u", "user", USER).put("cu", "custom").put("g", "tags")
            .put("p", "page", new Table().put("rf", "referer")).put("se", "service", SERVICE);
    private static final Table SPAN = new Table().put("n", "name").put("t", "type").put("su", "subtype")
            .put("ac", "action").put("s", "start").put("d", "duration").put("sy", "sync").put("o", "outcome")
            .put("sr", "sample_rate").put("st", "stacktrace", FRAME)
            .put("c", "context", new Table()
                    .put("h", "http", new Table().put("mt", "method").put("sc", "status_code")
                            .put("r", "response", RESPONSE))
                    .put("dt", "destination", new Table().put("ad", "address").put("po", "port")
                            .put("se", "service", new Table().put("n", "name").put("rc", "resource").put("t", "type")))
                    .put("se", "service", SERVICE).put("g", "tags"));
    private static final Table SAMPLE = new Table().put("v", "value");
    private static final Table METRICSET = new Table()
            .put("sa", "samples", new Table().put("ysc", "span.self_time.count", SAMPLE)
                    .put("yss", "span.self_time.sum.us", SAMPLE).put("xdc", "transaction.duration.count", SAMPLE)
                    .put("xds", "transaction.duration.sum.us", SAMPLE).put("xbc", "transaction.breakdown.count", SAMPLE))
            .put("y", "span", new Table().put("t", "type").put("su", "subtype")).put("g", "tags");
    private static final Table TRANSACTION = new Table().put("tid", "trace_id").put("pid", "parent_id")
            .put("n", "name").put("t", "type").put("d", "duration").put("rt", "result").put("o", "outcome")
            .put("k", "marks").put("sr", "sample_rate").put("sm", "sampled")
            .put("yc", "span_count", new Table().put("sd", "started").put("dd", "dropped"))
            .put("c", "context", CONTEXT)
            .put("exp", "experience", new Table().put("lt", "longtask"))
            .put("ses", "session", new Table().put("seq", "sequence"));
    private static final Table EXCEPTION = new Table();
    private static final Table ERROR = new Table().put("tid", "trace_id").put("pid", "parent_id")
            .put("xid", "transaction_id").put("x", "transaction", new Table().put("t", "type").put("sm", "sampled")
                    .put("n", "name"))
            .put("cl", "culprit").put("ex", "exception", EXCEPTION)
            .put("log", "log", new Table().put("mg", "message").put("pmg", "param_message").put("lv", "level")
                    .put("ln", "logger_name").put("st", "stacktrace", FRAME))
            .put("c", "context", CONTEXT);

    static {
        EXCEPTION.put("mg", "message").put("t", "type").put("mo", "module").put("cd", "code").put("hd", "handled")
                .put("at", "attributes").put("st", "stacktrace", FRAME).put("ca", "cause", EXCEPTION);
    }

    private RumV3Expander() {
    }

    /** The v2 {@code metadata} object of an {@code m} object. */
    public static JsonNode metadata(JsonNode m) {
        return m == null || !m.isObject() ? m : rename(m, METADATA);
    }

    /** The v2 {@code error} object of an {@code e} object. */
    public static JsonNode error(JsonNode e) {
        return e == null || !e.isObject() ? e : rename(e, ERROR);
    }

    /** The transaction, spans and breakdown metricsets of an {@code x} object, transaction first. */
    public static List<V2Event> transaction(JsonNode x) {
        if (x == null || !x.isObject()) {
            throw new ValidationException("validation error: 'x' must be an object");
        }
        ObjectNode tx = rename(x, TRANSACTION);
        JsonNode spans = tx.remove("y");
        JsonNode metricsets = tx.remove("me");
        List<V2Event> out = new ArrayList<>();
        out.add(new V2Event("transaction", tx));
        if (spans != null && spans.isArray()) {
            List<ObjectNode> renamed = new ArrayList<>();
            for (JsonNode y : spans) {
                if (!y.isObject()) {
                    throw new ValidationException("validation error: transaction: spans: span must be an object");
                }
                renamed.add(rename(y, SPAN));
            }
            for (ObjectNode span : renamed) {
                JsonNode pi = span.remove("pi");
                String parent = tx.path("id").asText(null);
                if (pi != null && pi.isInt()) {
                    int i = pi.asInt();
                    if (i < 0 || i >= renamed.size()) {
                        throw new ValidationException("validation error: span: parent index " + i + " out of range");
                    }
                    parent = renamed.get(i).path("id").asText(null);
                }
                copy(tx, "trace_id", span, "trace_id");
                copy(tx, "id", span, "transaction_id");
                if (parent != null) {
                    span.put("parent_id", parent);
                }
                out.add(new V2Event("span", span));
            }
        }
        if (metricsets != null && metricsets.isArray()) {
            for (JsonNode me : metricsets) {
                if (!me.isObject()) {
                    throw new ValidationException("validation error: transaction: metricsets: must be objects");
                }
                ObjectNode ms = rename(me, METRICSET);
                ObjectNode t = ms.putObject("transaction");
                copy(tx, "name", t, "name");
                copy(tx, "type", t, "type");
                out.add(new V2Event("metricset", ms));
            }
        }
        return out;
    }

    private static void copy(ObjectNode from, String key, ObjectNode to, String as) {
        JsonNode v = from.get(key);
        if (v != null && !v.isNull()) {
            to.set(as, v);
        }
    }

    private static ObjectNode rename(JsonNode obj, Table table) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode value = e.getValue();
            Table child = table.children.get(key);
            if (child != null) {
                value = renameValue(value, child);
            }
            out.set(table.names.getOrDefault(key, key), value);
        }
        return out;
    }

    private static JsonNode renameValue(JsonNode value, Table child) {
        if (value.isObject()) {
            return rename(value, child);
        }
        if (value.isArray()) {
            ArrayNode arr = JsonNodeFactory.instance.arrayNode(value.size());
            for (JsonNode el : value) {
                arr.add(el.isObject() ? rename(el, child) : el);
            }
            return arr;
        }
        return value;
    }
}
