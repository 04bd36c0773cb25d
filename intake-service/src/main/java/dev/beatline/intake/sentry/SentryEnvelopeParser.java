package dev.beatline.intake.sentry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beatline.model.EventCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Parses the Sentry envelope format byte-exactly (develop docs "Envelopes"):
 * {@code Envelope = Headers { "\n" Item } [ "\n" ]}, {@code Item = Headers "\n" Payload}.
 * <ul>
 * <li>Headers are single-line JSON objects; a {@code \r} before the {@code \n} is JSON white space there.</li>
 * <li>With a {@code length}, exactly that many bytes are the payload and must be followed by {@code \n} or
 * the end; anything else (even white space) makes the envelope malformed, as does a shorter payload.</li>
 * <li>Without a {@code length}, the payload runs to the next {@code \n} or the end; a {@code \r} before that
 * {@code \n} belongs to the payload.</li>
 * <li>As Relay does, white space before an item header is skipped, so blank lines between items and after
 * the last one are tolerated; an envelope without items is valid (and empty).</li>
 * </ul>
 * Each item's payload is checked against {@code maxItemBytes(type)} as soon as its size is known.
 * Pure and thread-safe.
 */
public final class SentryEnvelopeParser {

    private static final ObjectReader HEADER_READER = EventCodec.mapper().reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final ToLongFunction<String> maxItemBytes;

    /** @param maxItemBytes the largest payload allowed per item type */
    public SentryEnvelopeParser(ToLongFunction<String> maxItemBytes) {
        this.maxItemBytes = maxItemBytes;
    }

    /**
     * @throws EnvelopeFormatException when the bytes break the grammar
     * @throws ItemTooLargeException   when an item is larger than its type allows
     */
    public SentryEnvelope parse(byte[] body) {
        int headerEnd = indexOf(body, 0);
        ObjectNode headers = header(body, 0, headerEnd, "envelope header");
        List<SentryEnvelope.Item> items = new ArrayList<>();
        int pos = headerEnd + 1;
        while (true) {
            pos = skipWhitespace(body, pos);
            if (pos >= body.length) {
                break;
            }
            int itemHeaderEnd = indexOf(body, pos);
            ObjectNode itemHeaders = header(body, pos, itemHeaderEnd, "item header");
            JsonNode typeNode = itemHeaders.get("type");
            if (typeNode == null || !typeNode.isTextual() || typeNode.asText().isEmpty()) {
                throw new EnvelopeFormatException("item header without a 'type'");
            }
            String type = typeNode.asText();
            int payloadStart = Math.min(itemHeaderEnd + 1, body.length);
            JsonNode lengthNode = itemHeaders.get("length");
            int payloadEnd;
            if (lengthNode != null && !lengthNode.isNull()) {
                if (!lengthNode.canConvertToLong() || !lengthNode.isIntegralNumber() || lengthNode.asLong() < 0) {
                    throw new EnvelopeFormatException("item 'length' must be a non-negative integer");
                }
                long length = lengthNode.asLong();
                checkSize(type, length);
                if (length > body.length - payloadStart) {
                    throw new EnvelopeFormatException("item of type '" + type + "' is shorter than its length " + length);
                }
                payloadEnd = payloadStart + (int) length;
                if (payloadEnd < body.length && body[payloadEnd] != '\n') {
                    throw new EnvelopeFormatException(
                            "item of type '" + type + "' is not followed by a newline after its " + length + " bytes");
                }
            } else {
                payloadEnd = indexOf(body, payloadStart);
                checkSize(type, payloadEnd - payloadStart);
            }
            items.add(new SentryEnvelope.Item(type, itemHeaders, Arrays.copyOfRange(body, payloadStart, payloadEnd)));
            pos = payloadEnd + 1;
        }
        return new SentryEnvelope(headers, items);
    }

    private void checkSize(String type, long size) {
        if (size > maxItemBytes.applyAsLong(type)) {
            throw new ItemTooLargeException(type);
        }
    }

    private static ObjectNode header(byte[] body, int from, int to, String what) {
        if (to <= from) {
            throw new EnvelopeFormatException(what + " missing");
        }
        JsonNode node;
        try {
            node = HEADER_READER.readTree(body, from, to - from);
        } catch (JsonProcessingException e) {
            throw new EnvelopeFormatException(what + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new EnvelopeFormatException(what + " cannot be read: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new EnvelopeFormatException(what + " must be a JSON object");
        }
        return (ObjectNode) node;
    }

    /** Index of the next {@code \n} at or after {@code from}, or the body length. */
    private static int indexOf(byte[] body, int from) {
        for (int i = from; i < body.length; i++) {
            if (body[i] == '\n') {
                return i;
            }
        }
        return body.length;
    }

    private static int skipWhitespace(byte[] body, int from) {
        int i = from;
        while (i < body.length && (body[i] == ' ' || body[i] == '\t' || body[i] == '\r' || body[i] == '\n')) {
            i++;
        }
        return i;
    }
}
