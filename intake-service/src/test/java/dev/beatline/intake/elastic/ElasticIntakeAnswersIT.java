package dev.beatline.intake.elastic;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beatline.infra.BeatlineTestResource;
import dev.beatline.intake.IntakeTestSupport;
import dev.beatline.intake.IntakeTestSupport.SeededProject;
import dev.beatline.intake.RawHttp;
import io.restassured.RestAssured;
import dev.beatline.model.EventCodec;
import dev.beatline.model.SharedFiles;
import dev.beatline.model.keys.SecretHashing;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every HTTP case of the reference's expected-answer tables (§9.1 intake handler, §9.2 system tests, §9.3
 * derived) against the running intake with real Kafka and PostgreSQL: status, accepted count and error
 * messages compared with apm-server's approved files. Plus the real Java agent's captured requests.
 */
@QuarkusTest
@QuarkusTestResource(value = BeatlineTestResource.class, restrictToAnnotatedClass = false)
class ElasticIntakeAnswersIT {

    @Inject
    AgroalDataSource dataSource;

    SeededProject project;

    @BeforeEach
    void seed() throws Exception {
        project = IntakeTestSupport.project(dataSource);
    }

    static byte[] intake(String file) throws Exception {
        return Files.readAllBytes(SharedFiles.protocols("elastic-apm/testdata/" + file));
    }

    static JsonNode approved(String name) throws Exception {
        return EventCodec.mapper().readTree(Files.readAllBytes(
                SharedFiles.protocols("elastic-apm/testdata/approved/intake-handler/" + name + ".approved.json")));
    }

    RequestSpecification agent() {
        return given().header("Authorization", "Bearer " + project.secret()).accept("application/json");
    }

    static void assertApproved(Response r, int status, String approvedName) throws Exception {
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(EventCodec.mapper().readTree(r.asByteArray())).isEqualTo(approved(approvedName));
    }

    static byte[] gzip(byte[] b) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(b);
        }
        return out.toByteArray();
    }

    static byte[] zlib(byte[] b) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(out)) {
            z.write(b);
        }
        return out.toByteArray();
    }

    @Test
    void success() throws Exception {
        assertApproved(agent().contentType("application/x-ndjson").body(intake("intake-v2/errors.ndjson"))
                .post("/intake/v2/events?verbose"), 202, "Success");
    }

    @Test
    void compressedBodies() throws Exception {
        byte[] body = intake("intake-v2/errors.ndjson");
        assertApproved(agent().contentType("application/x-ndjson").header("Content-Encoding", "gzip").body(gzip(body))
                .post("/intake/v2/events?verbose"), 202, "CompressedBodyReaderGzipValid");
        assertApproved(agent().contentType("application/x-ndjson").header("Content-Encoding", "deflate").body(zlib(body))
                .post("/intake/v2/events?verbose"), 202, "CompressedBodyReaderDeflateValid");
        // sniffed by magic bytes without a Content-Encoding header
        agent().contentType("application/x-ndjson").body(gzip(body)).post("/intake/v2/events?verbose")
                .then().statusCode(202).body("accepted", equalTo(5));
        agent().contentType("application/x-ndjson").body(zlib(body)).post("/intake/v2/events?verbose")
                .then().statusCode(202).body("accepted", equalTo(5));
        assertApproved(agent().contentType("application/x-ndjson").header("Content-Encoding", "gzip").body(body)
                .post("/intake/v2/events?verbose"), 400, "CompressedBodyReaderGzipInvalid");
        assertApproved(agent().contentType("application/x-ndjson").header("Content-Encoding", "deflate").body(body)
                .post("/intake/v2/events?verbose"), 400, "CompressedBodyReaderDeflateInvalid");
    }

    @Test
    void emptyBody() throws Exception {
        assertApproved(agent().contentType("application/x-ndjson").post("/intake/v2/events?verbose"), 202, "EmptyBody");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "PUT", "DELETE", "PATCH", "OPTIONS"})
    void everyMethodButPostIsRefused(String method) throws Exception {
        assertApproved(agent().request(method, "/intake/v2/events"), 400, "Method");
        assertApproved(agent().request(method, "/intake/v2/events"), 400,
                "integration/backend/TestIntakeBackendHandler_AuthorizationMiddleware/Authorized");
    }

    @Test
    void contentType() throws Exception {
        assertApproved(agent().contentType("application/json").body(intake("intake-v2/errors.ndjson"))
                .post("/intake/v2/events?verbose"), 400, "ContentType");
        for (String ok : new String[] {"application/x-ndjson", "application/x-ndjson; charset=utf-8"}) {
            agent().contentType(ok).body(intake("intake-v2/errors.ndjson")).post("/intake/v2/events?verbose")
                    .then().statusCode(202).body("accepted", equalTo(5));
        }
        // no Content-Type at all (REST-assured always sends one, so by hand)
        try (RawHttp raw = new RawHttp(RestAssured.port, "POST", "/intake/v2/events?verbose",
                "Authorization: Bearer " + project.secret())) {
            raw.chunk(intake("intake-v2/errors.ndjson"));
            String answer = raw.finish();
            assertThat(RawHttp.status(answer)).isEqualTo(202);
            assertThat(RawHttp.body(answer)).isEqualTo("{\"accepted\":5}");
        }
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
        "invalid-event.ndjson, InvalidEvent",
        "invalid-json-event.ndjson, InvalidJSONEvent",
        "invalid-json-metadata.ndjson, InvalidJSONMetadata",
        "invalid-metadata.ndjson, InvalidMetadata",
        "invalid-metadata-2.ndjson, InvalidMetadata2",
        "invalid-event-type.ndjson, UnrecognizedEvent",
    })
    void invalidStreams(String file, String approvedName) throws Exception {
        assertApproved(agent().contentType("application/x-ndjson").body(intake("intake-v2/" + file))
                .post("/intake/v2/events?verbose"), 400, approvedName);
    }

    @Test
    void unauthorized() throws Exception {
        Response r = given().accept("application/json").contentType("application/x-ndjson")
                .body(intake("intake-v2/errors.ndjson")).post("/intake/v2/events");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(EventCodec.mapper().readTree(r.asByteArray())).isEqualTo(approved(
                "integration/backend/TestIntakeBackendHandler_AuthorizationMiddleware/Unauthorized"));
    }

    @Test
    void keyWithoutIngestScopeIsForbidden() throws Exception {
        SeededProject reader = IntakeTestSupport.project(dataSource, "read");
        given().header("Authorization", "Bearer " + reader.secret()).contentType("application/x-ndjson")
                .body(intake("intake-v2/errors.ndjson")).post("/intake/v2/events").then().statusCode(403);
    }

    @Test
    void answersAreTextPlainUnlessJsonIsAccepted() throws Exception {
        given().header("Authorization", "Bearer " + project.secret()).accept("text/html")
                .contentType("application/json").body("{}").post("/intake/v2/events")
                .then().statusCode(400).contentType(startsWith("text/plain"))
                .body(equalTo("{\"accepted\":0,\"errors\":[{\"message\":\"invalid content type: 'application/json'\"}]}"));
    }

    @ParameterizedTest(name = "{0} → 202, {1} accepted")
    @CsvSource({
        "intake-v2/errors.ndjson, 5",
        "intake-v2/errors_transaction_id.ndjson, 1",
        "intake-v2/events.ndjson, 4",
        "intake-v2/metricsets.ndjson, 6",
        "intake-v2/spans.ndjson, 10",
        "intake-v2/transactions.ndjson, 5",
        "intake-v2/transactions-huge_traces.ndjson, 1",
        "intake-v2/unknown-span-type.ndjson, 2",
        "intake-v2/minimal.ndjson, 7",
        "intake-v2/errors_2.ndjson, 4",
        "intake-v2/heavy.ndjson, 1920",
        "intake-v2/logs.ndjson, 7",
        "intake-v2/metadata.ndjson, 0",
        "intake-v2/metadata-null-values.ndjson, 1",
        "intake-v2/minimal-service.ndjson, 2",
        "intake-v2/optional-timestamps.ndjson, 3",
        "intake-v2/otel-bridge.ndjson, 2",
        "intake-v2/span-links.ndjson, 2",
        "intake-v2/transactions_spans.ndjson, 9",
    })
    void systemTestFilesAreAcceptedWhole(String file, int accepted) throws Exception {
        agent().contentType("application/x-ndjson").body(intake(file)).post("/intake/v2/events?verbose")
                .then().statusCode(202).body("accepted", equalTo(accepted));
    }

    @Test
    void realJavaAgentWithApiKeyIsAcceptedAndConfigPollAnswered() throws Exception {
        // the capture's key: ApiKey base64("spike-id:spike-key")
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO project_keys (project_id, public_key, secret_hash, name, scopes)
                VALUES (?, 'spike-id', ?, 'captured agent', '{ingest}') ON CONFLICT DO NOTHING""")) {
            ps.setLong(1, project.id());
            ps.setString(2, SecretHashing.sha256Hex("spike-key"));
            ps.executeUpdate();
        }
        Path dir = SharedFiles.protocols("elastic-apm/../captures/elastic-java-apikey");
        String auth = "ApiKey c3Bpa2UtaWQ6c3Bpa2Uta2V5";
        given().header("Authorization", auth).header("Accept", "text/html, image/gif, image/jpeg, */*; q=0.2")
                .get("/").then().statusCode(200).contentType(startsWith("application/json"))
                .body("version", startsWith("8."));
        given().header("Authorization", auth).contentType("application/json")
                .body(Files.readAllBytes(dir.resolve("002-POST-config_v1_agents.body.raw")))
                .post("/config/v1/agents").then().statusCode(200).header("Etag", "\"-\"")
                .header("Cache-Control", "max-age=30, must-revalidate").body(equalTo("{ }"));
        given().header("Authorization", auth).header("If-None-Match", "\"-\"").contentType("application/json")
                .body(Files.readAllBytes(dir.resolve("002-POST-config_v1_agents.body.raw")))
                .post("/config/v1/agents").then().statusCode(304);
        given().header("Authorization", auth).get("/config/v1/agents").then().statusCode(400)
                .body("error", equalTo("service.name is required"));
        given().header("Authorization", auth).get("/config/v1/agents?service.name=tiny-app").then().statusCode(200);
        for (String capture : new String[] {"003-POST-intake_v2_events.body.raw", "004-POST-intake_v2_events.body.raw"}) {
            given().header("Authorization", auth).contentType("application/x-ndjson")
                    .body(Files.readAllBytes(dir.resolve(capture))).post("/intake/v2/events")
                    .then().statusCode(202);
        }
        given().header("Authorization", "ApiKey " + java.util.Base64.getEncoder().encodeToString("spike-id:wrong".getBytes()))
                .contentType("application/x-ndjson").body(Files.readAllBytes(dir.resolve("004-POST-intake_v2_events.body.raw")))
                .post("/intake/v2/events").then().statusCode(401);
    }
}
