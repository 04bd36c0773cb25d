package dev.beatline.intake.elastic;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.beatline.intake.elastic.ElasticEventMapper.RequestInfo;
import dev.beatline.intake.internal.LineReader;
import dev.beatline.intake.internal.TypeMismatchException;
import dev.beatline.intake.internal.ValidationException;
import dev.beatline.intake.rum.RumV3Expander;
import dev.beatline.model.CanonicalEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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

    /** The line format: intake v2 (backend agents and RUM v2) or RUM v3's abbreviated keys. */
    public enum Format {
        V2, RUM_V3
    }

    private final int maxEventSize;
    private final Format format;

    public ElasticStreamDecoder(int maxEventSize) {
        this(maxEventSize, Format.V2);
    }

    public ElasticStreamDecoder(int maxEventSize, Format format) {
        this.maxEventSize = maxEventSize;
        this.format = format;
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
                    result.addTerminalError(message(e), document(lines));
                    return result;
                }
                continue;
            }
            try {
                result.countDecoded(readEvents(lines, metadata, request, sink));
            } catch (ValidationException e) {
                result.addError(message(e), document(lines));
            }
        }
        return result;
    }

    private ElasticMetadata readMetadata(LineReader line, RequestInfo request) {
        String key = firstKey(line);
        String expected = format == Format.RUM_V3 ? "m" : "metadata";
        if (!expected.equals(key)) {
            throw new ValidationException("\"metadata\" or \"m\" required");
        }
        JsonNode root = parse(line);
        JsonNode metadata = root.get(key);
        if (format == Format.RUM_V3) {
            metadata = RumV3Expander.metadata(metadata);
        }
        return ElasticMetadata.decode(metadata, request.clientIp());
    }

    /** Hands the line's events to the sink: one for v2, a transaction with its spans and metricsets for RUM v3. */
    private int readEvents(LineReader line, ElasticMetadata metadata, RequestInfo request, Consumer<CanonicalEvent> sink) {
        String type = firstKey(line);
        if (format == Format.RUM_V3) {
            switch (type == null ? "" : type) {
                case "x" -> {
                    List<CanonicalEvent> events = new ArrayList<>();
                    for (RumV3Expander.V2Event e : RumV3Expander.transaction(parse(line).get("x"))) {
                        CanonicalEvent event = ElasticEventMapper.map(e.type(), e.body(), metadata, request);
                        if (event != null) {
                            events.add(event);
                        }
                    }
                    events.forEach(sink);
                    return events.size();
                }
                case "e" -> {
                    sink.accept(ElasticEventMapper.map("error", RumV3Expander.error(parse(line).get("e")), metadata, request));
                    return 1;
                }
                default -> throw new ValidationException("did not recognize object type: \"" + type + "\"");
            }
        }
        switch (type == null ? "" : type) {
            case "transaction", "span", "error", "metricset", "log" -> {
                CanonicalEvent event = ElasticEventMapper.map(type, parse(line).get(type), metadata, request);
                if (event == null) {
                    return 0;
                }
                sink.accept(event);
                return 1;
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
            throw new ValidationException("decode error: data read error: " + DecodeErrors.syntax(e));
        } catch (IOException e) {
            throw new ValidationException("decode error: data read error: " + e.getMessage());
        }
    }

    private static String message(ValidationException e) {
        return e instanceof TypeMismatchException t ? DecodeErrors.typeMismatch(t) : e.getMessage();
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
