package dev.beatline.intake.elastic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beatline.infra.BeatlineTestResource;
import dev.beatline.infra.TopicReader;
import dev.beatline.intake.IntakeTestSupport;
import dev.beatline.intake.IntakeTestSupport.SeededProject;
import dev.beatline.intake.RawHttp;
import dev.beatline.model.Topics;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The intake body is streamed: events travel on while the agent's request is still open; bombs are cut off. */
@QuarkusTest
@QuarkusTestResource(value = BeatlineTestResource.class, restrictToAnnotatedClass = false)
class ElasticStreamingIT {

    static final String METADATA = "{\"metadata\":{\"service\":{\"name\":\"streamer\",\"agent\":{\"name\":\"java\",\"version\":\"1.55.1\"}}}}\n";

    @Inject
    AgroalDataSource dataSource;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "beatline.intake.max-request-size")
    long maxRequestSize;

    SeededProject project;

    @BeforeEach
    void seed() throws Exception {
        project = IntakeTestSupport.project(dataSource);
    }

    static String transaction(String id) {
        return "{\"transaction\":{\"id\":\"" + id + "\",\"trace_id\":\"" + UUID.randomUUID().toString().replace("-", "")
                + "\",\"type\":\"request\",\"duration\":12.5,\"span_count\":{\"started\":0}}}\n";
    }

    @Test
    void eventsReachKafkaWhileTheRequestBodyIsStillOpen() throws Exception {
        try (RawHttp req = new RawHttp(RestAssured.port, "POST", "/intake/v2/events?verbose",
                "Authorization: Bearer " + project.secret(), "Content-Type: application/x-ndjson")) {
            req.chunk(METADATA + transaction("aaaaaaaaaaaaaaa1"));
            // the body is not finished: the first event must already be on Kafka
            assertThat(TopicReader.read(bootstrap, Topics.TRANSACTIONS, 1, Duration.ofSeconds(20),
                    r -> r.key().startsWith(project.id() + "/"))).hasSize(1);
            req.chunk(transaction("aaaaaaaaaaaaaaa2"));
            String answer = req.finish();
            assertThat(RawHttp.status(answer)).isEqualTo(202);
            assertThat(RawHttp.body(answer)).isEqualTo("{\"accepted\":2}");
        }
    }

    @Test
    void gzipBombIsCutOffAt413WithoutReadingItAll() throws Exception {
        // a few hundred KiB on the wire, 4 × the permitted size once inflated
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(compressed)) {
            gz.write(METADATA.getBytes());
            byte[] blanks = new byte[1 << 20];
            java.util.Arrays.fill(blanks, (byte) '\n');
            for (long written = 0; written < 4 * maxRequestSize; written += blanks.length) {
                gz.write(blanks);
            }
        }
        assertThat(compressed.size()).isLessThan(2 << 20);
        try (RawHttp req = new RawHttp(RestAssured.port, "POST", "/intake/v2/events",
                "Authorization: Bearer " + project.secret(), "Content-Type: application/x-ndjson",
                "Content-Encoding: gzip")) {
            req.chunk(compressed.toByteArray());
            String answer = req.finish();
            assertThat(RawHttp.status(answer)).isEqualTo(413);
            assertThat(RawHttp.body(answer)).contains("\"accepted\":0").contains("exceeded the permitted size");
        }
    }
}
