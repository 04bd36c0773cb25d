package dev.beatline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beatline.intake.elastic.ElasticEventMapper.RequestInfo;
import dev.beatline.intake.elastic.ElasticStreamDecoder;
import dev.beatline.intake.elastic.StreamResult;
import dev.beatline.model.CanonicalEvent;
import dev.beatline.model.EventKind;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The generated load is what the servers accept, with the event count the harness credits per request. */
class PayloadsTest {

    @Test
    void elasticBodyDecodesToTheRequestedNumberOfEventsOfEveryKind() throws Exception {
        byte[] gz = ElasticPayloads.gzipped(100);
        List<CanonicalEvent> events = new ArrayList<>();
        StreamResult result = new ElasticStreamDecoder(307_200).decode(new GZIPInputStream(new ByteArrayInputStream(gz)),
                new RequestInfo(1L, Instant.now(), "127.0.0.1"), events::add);

        assertThat(result.hasErrors()).as("errors: %s", result.errors()).isFalse();
        assertThat(events).hasSize(100);
        assertThat(events).extracting(CanonicalEvent::kind)
                .contains(EventKind.TRANSACTION, EventKind.SPAN, EventKind.ERROR, EventKind.METRICSET);
    }

    @Test
    void zipkinBodyHasTheRequestedSpansWithFreshTraceIds() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(ZipkinPayloads.json(100));
        JsonNode second = json.readTree(ZipkinPayloads.json(100));

        assertThat(first).hasSize(100);
        Set<String> traceIds = new HashSet<>();
        first.forEach(span -> traceIds.add(span.get("traceId").asText()));
        assertThat(traceIds).hasSize(20);
        second.forEach(span -> assertThat(traceIds).doesNotContain(span.get("traceId").asText()));
    }

    @Test
    void cpuTicksAreUserPlusSystemTimeEvenWhenTheCommandHasSpacesAndParentheses() {
        String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 31035 0 0 0 1234 567 0 0 20 0 40 0 1843 0";
        assertThat(ProcessCpu.parseTicks(stat)).isEqualTo(1234 + 567);
    }
}
