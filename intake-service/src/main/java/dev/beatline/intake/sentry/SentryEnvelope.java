package dev.beatline.intake.sentry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A parsed Sentry envelope: its header object and its items, in order.
 *
 * @param headers the envelope header ({@code event_id}, {@code dsn}, {@code sdk}, {@code sent_at}, {@code trace}, …)
 */
public record SentryEnvelope(ObjectNode headers, List<Item> items) {

    /**
     * One item: its header ({@code type}, {@code length}, {@code content_type}, {@code filename}, …) and its
     * payload bytes exactly as framed.
     */
    public record Item(String type, ObjectNode headers, byte[] payload) {

        /** A string attribute of the item header, or null. */
        public String header(String name) {
            JsonNode v = headers.get(name);
            return v == null || !v.isTextual() ? null : v.asText();
        }
    }

    /** A string attribute of the envelope header, or null. */
    public String header(String name) {
        JsonNode v = headers.get(name);
        return v == null || !v.isTextual() ? null : v.asText();
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }
}
