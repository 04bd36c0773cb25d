package dev.beatline.intake.elastic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beatline.intake.elastic.ElasticEventMapper.RequestInfo;
import dev.beatline.model.CanonicalEvent;
import dev.beatline.model.SharedFiles;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The peer's own test files decode to the accepted counts apm-server reports for them (reference §9.2/9.3). */
class ElasticStreamDecoderTest {

    private final ElasticStreamDecoder decoder = new ElasticStreamDecoder(307_200);

    @ParameterizedTest(name = "{0} → {1} accepted")
    @CsvSource({
        "errors.ndjson, 5",
        "errors_2.ndjson, 4",
        "errors_transaction_id.ndjson, 1",
        "events.ndjson, 4",
        "metricsets.ndjson, 6",
        "spans.ndjson, 10",
        "transactions.ndjson, 5",
        "transactions-huge_traces.ndjson, 1",
        "unknown-span-type.ndjson, 2",
        "minimal.ndjson, 7",
        "logs.ndjson, 7",
        "metadata-null-values.ndjson, 1",
        "minimal-service.ndjson, 2",
        "optional-timestamps.ndjson, 3",
        "otel-bridge.ndjson, 2",
        "span-links.ndjson, 2",
        "transactions_spans.ndjson, 9",
        "heavy.ndjson, 1920",
    })
    void peerTestdataDecodesWithoutErrors(String file, int accepted) throws Exception {
        byte[] body = Files.readAllBytes(SharedFiles.protocols("elastic-apm/testdata/intake-v2/" + file));
        List<CanonicalEvent> events = new ArrayList<>();
        StreamResult result = decoder.decode(new ByteArrayInputStream(body), new RequestInfo(1, Instant.now(), "127.0.0.1"),
                events::add);
        assertThat(result.errors()).isEmpty();
        assertThat(result.decoded()).isEqualTo(accepted);
        assertThat(events).hasSize(accepted);
    }
}
