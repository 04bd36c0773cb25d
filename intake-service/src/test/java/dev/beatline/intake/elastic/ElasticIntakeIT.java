package dev.beatline.intake.elastic;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.beatline.infra.BeatlineTestResource;
import dev.beatline.infra.InjectInfra;
import dev.beatline.infra.SharedInfra;
import dev.beatline.infra.TopicReader;
import dev.beatline.intake.IntakeTestSupport;
import dev.beatline.intake.IntakeTestSupport.SeededProject;
import dev.beatline.model.CanonicalEvent;
import dev.beatline.model.ErrorEvent;
import dev.beatline.model.EventCodec;
import dev.beatline.model.SharedFiles;
import dev.beatline.model.SourceProtocol;
import dev.beatline.model.Topics;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Elastic intake against a real Kafka broker and a real PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(value = BeatlineTestResource.class, restrictToAnnotatedClass = false)
class ElasticIntakeIT {

    static final String NDJSON = "application/x-ndjson";

    @InjectInfra
    SharedInfra infra;
    @Inject
    AgroalDataSource dataSource;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    SeededProject project;

    @BeforeEach
    void seed() throws Exception {
        project = IntakeTestSupport.project(dataSource);
    }

    private byte[] testdata(String name) throws Exception {
        return Files.readAllBytes(SharedFiles.protocols("elastic-apm/testdata/intake-v2/" + name));
    }

    private List<CanonicalEvent> eventsOfProject(String topic, int expected) {
        List<ConsumerRecord<String, byte[]>> records = TopicReader.read(bootstrap, topic, expected,
                Duration.ofSeconds(20), r -> r.key().startsWith(project.id() + "/"));
        return records.stream().map(r -> EventCodec.decode(topic, r.value())).toList();
    }

    @Test
    void acceptedErrorsArriveOnKafkaAsCanonicalEventsOfTheKeysProject() throws Exception {
        given().header("Authorization", "Bearer " + project.secret()).contentType("application/x-ndjson")
                .body(testdata("errors.ndjson"))
                .post("/intake/v2/events?verbose")
                .then().statusCode(202).body("accepted", equalTo(5));

        List<CanonicalEvent> events = eventsOfProject(Topics.ERRORS, 5);
        assertThat(events).hasSize(5).allSatisfy(e -> {
            assertThat(e).isInstanceOf(ErrorEvent.class);
            assertThat(e.header().projectId()).isEqualTo(project.id());
            assertThat(e.header().source()).isEqualTo(SourceProtocol.ELASTIC_APM);
            assertThat(e.header().service().name()).isIn("1234_service-12a3", "service1");
        });
    }

    @Test
    void missingOrUnknownCredentialsAre401() throws Exception {
        given().contentType("application/x-ndjson").body(testdata("errors.ndjson"))
                .post("/intake/v2/events")
                .then().statusCode(401).body("error", containsString("missing or improperly formatted Authorization header"));
        given().header("Authorization", "Bearer not-a-key").contentType("application/x-ndjson")
                .body(testdata("errors.ndjson"))
                .post("/intake/v2/events")
                .then().statusCode(401).body("error", equalTo("authentication failed"));
    }

    @Test
    void brokerDownGives503WithRetryAfterAndNeverAFalse202() throws Exception {
        byte[] body = testdata("transactions.ndjson");
        given().header("Authorization", "Bearer " + project.secret()).contentType(NDJSON).body(body)
                .post("/intake/v2/events").then().statusCode(202);
        infra.stopKafka();
        try {
            given().header("Authorization", "Bearer " + project.secret()).contentType(NDJSON).body(body)
                    .post("/intake/v2/events")
                    .then().statusCode(503).header("Retry-After", notNullValue())
                    .body("accepted", equalTo(0));
        } finally {
            infra.restartKafka();
        }
        given().header("Authorization", "Bearer " + project.secret()).contentType(NDJSON).body(body)
                .post("/intake/v2/events?verbose").then().statusCode(202).body("accepted", equalTo(5));
    }

    @Test
    void knownKeysKeepIngestingWhilePostgresIsDown() throws Exception {
        byte[] body = testdata("transactions.ndjson");
        given().header("Authorization", "Bearer " + project.secret()).contentType(NDJSON).body(body)
                .post("/intake/v2/events").then().statusCode(202);
        infra.stopPostgres();
        try {
            given().header("Authorization", "Bearer " + project.secret()).contentType(NDJSON).body(body)
                    .post("/intake/v2/events?verbose").then().statusCode(202).body("accepted", equalTo(5));
            // a key never seen cannot be checked: 503, not 401
            given().header("Authorization", "Bearer never-seen-" + System.nanoTime()).contentType(NDJSON).body(body)
                    .post("/intake/v2/events").then().statusCode(503).header("Retry-After", notNullValue());
        } finally {
            infra.restartPostgres();
        }
    }
}
