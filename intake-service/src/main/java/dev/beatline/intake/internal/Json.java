package dev.beatline.intake.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beatline.model.EventCodec;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lenient accessors over a parsed JSON tree, with the protocols' null rule: a JSON {@code null} is "not set".
 * Type errors are reported as {@link ValidationException} naming the field path.
 */
public final class Json {

    private static final DateTimeFormatter OFFSET_NO_COLON = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSSSSSSSS][.SSSSSS][.SSS]XX");

    private Json() {
    }

    public static JsonNode get(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.isMissingNode() ? null : v;
    }

    /** Follows a dotted path of object fields. */
    public static JsonNode path(JsonNode node, String dotted) {
        JsonNode cur = node;
        for (String part : dotted.split("\\.")) {
            cur = get(cur, part);
            if (cur == null) {
                return null;
            }
        }
        return cur;
    }

    public static JsonNode object(JsonNode node, String field, String where) {
        JsonNode v = get(node, field);
        if (v != null && !v.isObject()) {
            throw new TypeMismatchException(where, field, TypeMismatchException.Expected.OBJECT);
        }
        return v;
    }

    public static String string(JsonNode node, String field, String where) {
        JsonNode v = get(node, field);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw new TypeMismatchException(where, field, TypeMismatchException.Expected.STRING);
        }
        String s = v.asText();
        if (s.length() > 1024) {
            throw new ValidationException(where + ": '" + field + "' is longer than 1024 characters");
        }
        return s;
    }

    /** A string without the keyword length limit (messages, statements). */
    public static String text(JsonNode node, String field, String where) {
        JsonNode v = get(node, field);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw new TypeMismatchException(where, field, TypeMismatchException.Expected.STRING);
        }
        return v.asText();
    }

    /** A string or a number, as text (ids that agents send either way). */
    public static String stringOrNumber(JsonNode node, String field, String where) {
        JsonNode v = get(node, field);
        if (v == null) {
            return null;
        }
        if (!v.isTextual() && !v.isNumber()) {
            throw new TypeMismatchException(where, field, TypeMismatchException.Expected.STRING_OR_NUMBER);
        }
        return v.asText();
    }

    public static String required(JsonNode node, String field, String where) {
        String s = string(node, field, where);
        if (s == null) {
            throw new ValidationException(where + ": '" + field + "' required");
        }
        return s;
    }

    public static Double number(JsonNode node, String field, String where) {
        JsonNode v = get(node, field);
        if (v == null) {
            return null;
        }
        if (!v.isNumber()) {
            throw new TypeMismatchException(where, field, TypeMismatchException.Expected.NUMBER);
        }
        return v.asDouble();
    }

    public static Integer integer(JsonNode node, String field, String where) {
        Double d = number(node, field, where);
        return d == null ? null : (int) Math.round(d);
    }

    public static Boolean bool(JsonNode node, String field, String where) {
        JsonNode v = get(node, field);
        if (v == null) {
            return null;
        }
        if (!v.isBoolean()) {
            throw new TypeMismatchException(where, field, TypeMismatchException.Expected.BOOLEAN);
        }
        return v.asBoolean();
    }

    /** Microseconds since the epoch (integer) or an RFC 3339 string; null when absent. */
    public static Instant timestamp(JsonNode node, String field, String where) {
        JsonNode v = get(node, field);
        if (v == null) {
            return null;
        }
        if (v.isNumber()) {
            long us = v.asLong();
            return Instant.ofEpochSecond(Math.floorDiv(us, 1_000_000L), Math.floorMod(us, 1_000_000L) * 1000L);
        }
        if (v.isTextual()) {
            return rfc3339(v.asText(), field, where);
        }
        throw new ValidationException(where + ": '" + field + "' must be a number or a string");
    }

    /**
     * Seconds since the epoch (integer or fraction, as Sentry sends) or an RFC 3339 string (a missing offset
     * means UTC); null when absent.
     */
    public static Instant secondsTimestamp(JsonNode node, String field, String where) {
        JsonNode v = get(node, field);
        if (v == null) {
            return null;
        }
        if (v.isNumber()) {
            java.math.BigDecimal micros = v.decimalValue().movePointRight(6).setScale(0, java.math.RoundingMode.HALF_UP);
            long us = micros.longValue();
            return Instant.ofEpochSecond(Math.floorDiv(us, 1_000_000L), Math.floorMod(us, 1_000_000L) * 1000L);
        }
        if (v.isTextual()) {
            String s = v.asText();
            if (!s.isEmpty() && !s.endsWith("Z") && !s.endsWith("z") && !s.matches(".*[+-]\\d\\d:?\\d\\d$")) {
                s = s + "Z";
            }
            return rfc3339(s, field, where);
        }
        throw new ValidationException(where + ": '" + field + "' must be a number or a string");
    }

    private static Instant rfc3339(String s, String field, String where) {
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(s, OFFSET_NO_COLON).toInstant();
            } catch (DateTimeParseException e2) {
                throw new ValidationException(where + ": '" + field + "' is not a valid timestamp");
            }
        }
    }

    /** A JSON value as plain Java (maps, lists, strings, numbers, booleans). */
    public static Object plain(JsonNode v) {
        return v == null ? null : EventCodec.mapper().convertValue(v, Object.class);
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(JsonNode node, String field) {
        JsonNode v = get(node, field);
        if (v == null || !v.isObject()) {
            return null;
        }
        return (Map<String, Object>) plain(v);
    }

    public static List<String> strings(JsonNode node, String field) {
        JsonNode v = get(node, field);
        if (v == null || !v.isArray()) {
            return null;
        }
        List<String> out = new ArrayList<>(v.size());
        v.forEach(e -> out.add(e.isNull() ? null : e.asText()));
        return out;
    }

    /** Labels: scalar values only (strings ≤ 1024, numbers, booleans); nested values are rejected. */
    public static Map<String, Object> labels(JsonNode node, String where) {
        if (node == null) {
            return null;
        }
        if (!node.isObject()) {
            throw new ValidationException(where + " must be an object");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        var it = node.fields();
        while (it.hasNext()) {
            var e = it.next();
            JsonNode v = e.getValue();
            if (v.isNull()) {
                continue;
            }
            if (v.isTextual()) {
                if (v.asText().length() > 1024) {
                    throw new ValidationException(where + ": '" + e.getKey() + "' is longer than 1024 characters");
                }
                out.put(e.getKey(), v.asText());
            } else if (v.isNumber()) {
                out.put(e.getKey(), v.numberValue());
            } else if (v.isBoolean()) {
                out.put(e.getKey(), v.asBoolean());
            } else {
                throw new ValidationException(where + ": '" + e.getKey() + "' must be a string, number or boolean");
            }
        }
        return out;
    }
}
