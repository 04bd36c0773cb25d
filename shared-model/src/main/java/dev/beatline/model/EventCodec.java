package dev.beatline.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;

/**
 * The JSON codec for canonical events on Kafka. Thread-safe. Unknown fields are ignored on read so that a
 * newer intake can add fields before every processor knows them; nulls are not written.
 */
public final class EventCodec {

    private static final ObjectMapper MAPPER = newMapper();
    private static final ObjectWriter WRITER = MAPPER.writer();
    private static final Map<EventKind, ObjectReader> READERS = new EnumMap<>(EventKind.class);

    static {
        READERS.put(EventKind.ERROR, MAPPER.readerFor(ErrorEvent.class));
        READERS.put(EventKind.TRANSACTION, MAPPER.readerFor(TransactionEvent.class));
        READERS.put(EventKind.SPAN, MAPPER.readerFor(SpanEvent.class));
        READERS.put(EventKind.METRICSET, MAPPER.readerFor(MetricsetEvent.class));
        READERS.put(EventKind.LOG, MAPPER.readerFor(LogEvent.class));
        READERS.put(EventKind.SESSION, MAPPER.readerFor(SessionEvent.class));
        READERS.put(EventKind.FEEDBACK, MAPPER.readerFor(FeedbackEvent.class));
        READERS.put(EventKind.CLIENT_REPORT, MAPPER.readerFor(ClientReportEvent.class));
        READERS.put(EventKind.ATTACHMENT, MAPPER.readerFor(AttachmentEvent.class));
    }

    private EventCodec() {
    }

    /** The mapper configuration used on the wire; also handy for JSON columns that hold canonical parts. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] encode(CanonicalEvent event) {
        try {
            return WRITER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode " + event.kind() + " event: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Decodes a record value of the given kind.
     *
     * @throws EventDecodingException when the bytes are not a valid event of that kind
     */
    public static CanonicalEvent decode(EventKind kind, byte[] value) {
        if (value == null || value.length == 0) {
            throw new EventDecodingException("empty record value");
        }
        CanonicalEvent event;
        try {
            event = READERS.get(kind).readValue(value);
        } catch (IOException | RuntimeException e) {
            throw new EventDecodingException("not a valid " + kind + " event: " + firstLine(e), e);
        }
        if (event == null || event.header() == null) {
            throw new EventDecodingException("not a valid " + kind + " event: header missing");
        }
        if (event.header().schema() > EventHeader.CURRENT_SCHEMA) {
            throw new EventDecodingException("schema " + event.header().schema() + " is newer than this build ("
                    + EventHeader.CURRENT_SCHEMA + ")");
        }
        return event;
    }

    /** Decodes a record from one of the data topics. */
    public static CanonicalEvent decode(String topic, byte[] value) {
        for (EventKind kind : EventKind.values()) {
            if (Topics.forKind(kind).equals(topic)) {
                return decode(kind, value);
            }
        }
        throw new EventDecodingException("topic " + topic + " carries no canonical events");
    }

    private static String firstLine(Exception e) {
        String msg = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
        if (msg == null) {
            return e.getClass().getSimpleName();
        }
        int nl = msg.indexOf('\n');
        return nl < 0 ? msg : msg.substring(0, nl);
    }

    private static ObjectMapper newMapper() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.registerModule(new JavaTimeModule());
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
        mapper.setSerializationInclusion(JsonInclude.Include.NON_NULL);
        return mapper;
    }
}
