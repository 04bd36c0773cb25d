package dev.beatline.intake.elastic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beatline.intake.elastic.ElasticEventMapper.RequestInfo;
import dev.beatline.model.CanonicalEvent;
import dev.beatline.model.EventCodec;
import dev.beatline.model.SharedFiles;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The stream-level cases of the reference's §9.1 (apm-server's TestIntakeHandler and apm-data's
 * TestHandleStreamErrors), decoded without HTTP and compared with the approved answers' accepted count and
 * errors (message and document).
 */
class ElasticStreamErrorsTest {

    static byte[] intake(String file) throws Exception {
        return Files.readAllBytes(SharedFiles.protocols("elastic-apm/testdata/intake-v2/" + file));
    }

    static JsonNode approved(String name) throws Exception {
        return EventCodec.mapper().readTree(Files.readAllBytes(
                SharedFiles.protocols("elastic-apm/testdata/approved/intake-handler/" + name + ".approved.json")));
    }

    static StreamResult decode(ElasticStreamDecoder decoder, byte[] body, List<CanonicalEvent> sink) throws Exception {
        return decoder.decode(new ByteArrayInputStream(body), new RequestInfo(1, Instant.now(), "127.0.0.1"), sink::add);
    }

    static void assertMatchesApproved(StreamResult result, JsonNode approved) {
        assertThat(result.decoded()).isEqualTo(approved.get("accepted").asInt());
        List<String> expected = new ArrayList<>();
        approved.path("errors").forEach(e -> expected.add(e.path("message").asText() + " | " + e.path("document").asText(null)));
        List<String> actual = result.errors().stream().map(e -> e.message() + " | " + e.document()).toList();
        assertThat(actual).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{1}: {0}")
    @CsvSource({
        "invalid-event.ndjson, InvalidEvent",
        "invalid-json-event.ndjson, InvalidJSONEvent",
        "invalid-json-metadata.ndjson, InvalidJSONMetadata",
        "invalid-metadata.ndjson, InvalidMetadata",
        "invalid-metadata-2.ndjson, InvalidMetadata2",
        "invalid-event-type.ndjson, UnrecognizedEvent",
        "errors.ndjson, Success",
    })
    void streamAnswersMatchApprovedFiles(String file, String approvedName) throws Exception {
        List<CanonicalEvent> events = new ArrayList<>();
        StreamResult result = decode(new ElasticStreamDecoder(307_200), intake(file), events);
        assertMatchesApproved(result, approved(approvedName));
        assertThat(events).hasSize(result.decoded());
    }

    @Test
    void lineOverTheLimitIsReportedWithItsFirstBytes() throws Exception {
        StreamResult result = decode(new ElasticStreamDecoder(10), intake("errors.ndjson"), new ArrayList<>());
        assertMatchesApproved(result, approved("TooLarge"));
    }

    @Test
    void oversizeEventLineIsSkippedAndTheStreamGoesOn() throws Exception {
        String md = "{\"metadata\":{\"service\":{\"name\":\"s\",\"agent\":{\"name\":\"java\",\"version\":\"1\"}}}}\n";
        String big = "{\"error\":{\"id\":\"e1\",\"log\":{\"message\":\"" + "x".repeat(500) + "\"}}}\n";
        String small = "{\"error\":{\"id\":\"e2\",\"log\":{\"message\":\"ok\"}}}\n";
        List<CanonicalEvent> events = new ArrayList<>();
        StreamResult result = decode(new ElasticStreamDecoder(200), (md + big + small).getBytes(StandardCharsets.UTF_8), events);
        assertThat(result.decoded()).isEqualTo(1);
        assertThat(events).singleElement().satisfies(e -> assertThat(e.header().eventId()).isEqualTo("e2"));
        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.message()).isEqualTo("event exceeded the permitted size");
            assertThat(e.document()).hasSize(200);
        });
    }

    @Test
    void metadataWithoutNewlineAtEndOfStreamIsEofWhileReadingMetadata() throws Exception {
        byte[] md = Files.readAllBytes(SharedFiles.protocols("elastic-apm/testdata/intake-v3/metadata.ndjson"));
        StreamResult result = decode(new ElasticStreamDecoder(307_200, ElasticStreamDecoder.Format.RUM_V3), md, new ArrayList<>());
        assertThat(result.errors()).extracting(StreamResult.StreamError::message).containsExactly("EOF while reading metadata");
        byte[] terminated = (new String(md, StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8);
        StreamResult ok = decode(new ElasticStreamDecoder(307_200, ElasticStreamDecoder.Format.RUM_V3), terminated, new ArrayList<>());
        assertThat(ok.errors()).isEmpty();
        assertThat(ok.decoded()).isZero();
    }

    @Test
    void emptyBodyAndMetadataOnlyAcceptNothingWithoutError() throws Exception {
        assertThat(decode(new ElasticStreamDecoder(307_200), new byte[0], new ArrayList<>()).hasErrors()).isFalse();
        StreamResult md = decode(new ElasticStreamDecoder(307_200), intake("metadata.ndjson"), new ArrayList<>());
        assertThat(md.hasErrors()).isFalse();
        assertThat(md.decoded()).isZero();
    }

    @ParameterizedTest(name = "{0} → {1} events")
    @CsvSource({
        "rum_events.ndjson, 11",
        "rum_errors.ndjson, 1",
    })
    void rumV3AbbreviatedStreamsExpandToTheirEvents(String file, int expected) throws Exception {
        byte[] body = Files.readAllBytes(SharedFiles.protocols("elastic-apm/testdata/intake-v3/" + file));
        List<CanonicalEvent> events = new ArrayList<>();
        StreamResult result = decode(new ElasticStreamDecoder(307_200, ElasticStreamDecoder.Format.RUM_V3), body, events);
        assertThat(result.errors()).isEmpty();
        assertThat(result.decoded()).isEqualTo(expected);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.header().service().name()).isEqualTo("apm-a-rum-test-e2e-general-usecase");
            assertThat(e.header().agent().name()).isEqualTo("js-base");
        });
    }

    @ParameterizedTest(name = "{0} → {1} accepted")
    @CsvSource({
        "transactions_spans_rum.ndjson, 2",
        "transactions_spans_rum_2.ndjson, 2",
        "errors_rum.ndjson, 1",
        "ratelimit.ndjson, 19",
    })
    void rumV2FilesDecode(String file, int expected) throws Exception {
        StreamResult result = decode(new ElasticStreamDecoder(307_200), intake(file), new ArrayList<>());
        assertThat(result.errors()).isEmpty();
        assertThat(result.decoded()).isEqualTo(expected);
    }
}
