package dev.beatline.intake.elastic;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.beatline.intake.elastic.ElasticEventMapper.RequestInfo;
import dev.beatline.intake.internal.LineReader;
import dev.beatline.intake.internal.ValidationException;
import dev.beatline.model.CanonicalEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Decodes an Elastic APM intake v2 NDJSON stream line by line, as apm-server does: the first line must be
 * metadata; each further line is one event whose type is its first key; bad lines are reported and skipped
 * while the rest of the stream goes on; a line longer than the cap is reported with its first bytes and skipped.
 * Decoded events go to the sink as they are read, so a long-lived agent stream is never held in memory.
 */
public final class ElasticStreamDecoder {

    private static final ObjectReader READER = new ObjectMapper()
            .enable(JsonParser.Feature.ALLOW_TRAILING_COMMA)
            .readerFor(JsonNode.class);

    private final int maxEventSize;

    public ElasticStreamDecoder(int maxEventSize) {
        this.maxEventSize = maxEventSize;
    }

    /**
     * Reads the whole stream. I/O errors of the body itself (client gone, limits, corrupt compression) are thrown.
     */
    public StreamResult decode(InputStream body, RequestInfo request, Consumer<CanonicalEvent> sink) throws IOException {
        StreamResult result = new StreamResult();
        LineReader lines = new LineReader(body, maxEventSize);
        ElasticMetadata metadata = null;
        while (lines.next()) {
            if (lines.tooLarge()) {
                String doc = new String(lines.bytes(), 0, lines.length(), StandardCharsets.UTF_8);
                if (metadata == null) {
                    result.addTerminalError("event exceeded the permitted size", doc);
                    return result;
                }
                result.addError("event exceeded the permitted size", doc);
                continue;
            }
            if (lines.isBlank()) {
                continue;
            }
            if (metadata == null) {
                if (!lines.terminated()) {
                    result.addTerminalError("EOF while reading metadata", null);
                    return result;
                }
                try {
                    metadata = readMetadata(lines, request);
                } catch (ValidationException e) {
                    result.addTerminalError(e.getMessage(), document(lines));
                    return result;
                }
                continue;
            }
            try {
                CanonicalEvent event = readEvent(lines, metadata, request);
                if (event != null) {
                    sink.accept(event);
                    result.countDecoded();
                }
            } catch (ValidationException e) {
                result.addError(e.getMessage(), document(lines));
            }
        }
        return result;
    }

    private ElasticMetadata readMetadata(LineReader line, RequestInfo request) {
        String key = firstKey(line);
        if (!"metadata".equals(key)) {
            throw new ValidationException("\"metadata\" or \"m\" required");
        }
        JsonNode root = parse(line);
        return ElasticMetadata.decode(root.get("metadata"), request.clientIp());
    }

    private CanonicalEvent readEvent(LineReader line, ElasticMetadata metadata, RequestInfo request) {
        String type = firstKey(line);
        switch (type == null ? "" : type) {
            case "transaction", "span", "error", "metricset", "log" -> {
                JsonNode root = parse(line);
                return ElasticEventMapper.map(type, root.get(type), metadata, request);
            }
            default -> throw new ValidationException("did not recognize object type: \"" + type + "\"");
        }
    }

    private static JsonNode parse(LineReader line) {
        try {
            JsonNode root = READER.readValue(line.bytes(), 0, line.length());
            if (root == null || !root.isObject()) {
                throw new ValidationException("decode error: data read error: expected a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new ValidationException("decode error: data read error: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ValidationException("decode error: data read error: " + e.getMessage());
        }
    }

    /** The first quoted string of the line, read without parsing it (apm-server's identifyEventType). */
    static String firstKey(LineReader line) {
        byte[] b = line.bytes();
        int n = line.length();
        int start = -1;
        for (int i = 0; i < n; i++) {
            if (b[i] == '"') {
                if (start < 0) {
                    start = i + 1;
                } else {
                    return new String(b, start, i - start, StandardCharsets.UTF_8);
                }
            }
        }
        return null;
    }

    private static String document(LineReader line) {
        return new String(line.bytes(), 0, line.length(), StandardCharsets.UTF_8);
    }
}
