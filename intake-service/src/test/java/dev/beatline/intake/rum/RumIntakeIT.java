package dev.beatline.intake.rum;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.beatline.infra.BeatlineTestResource;
import dev.beatline.intake.IntakeTestSupport;
import dev.beatline.intake.IntakeTestSupport.SeededProject;
import dev.beatline.model.SharedFiles;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Anonymous browser (RUM) intake per project: public key in the URL, allowed origins, CORS, per-IP rate. */
@QuarkusTest
@QuarkusTestResource(value = BeatlineTestResource.class, restrictToAnnotatedClass = false)
class RumIntakeIT {

    static final String ORIGIN = "https://shop.example.com";

    @Inject
    AgroalDataSource dataSource;

    SeededProject project;
    String rumKey;

    @BeforeEach
    void seed() throws Exception {
        project = IntakeTestSupport.project(dataSource);
        rumKey = "rum-" + UUID.randomUUID();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO project_rum_access (project_id, public_key, allowed_origins, ip_rate_limit_eps, ip_rate_limit_burst)
                VALUES (?, ?, ?, 1, 16)""")) {
            ps.setLong(1, project.id());
            ps.setString(2, rumKey);
            ps.setArray(3, c.createArrayOf("text", new String[] {ORIGIN}));
            ps.executeUpdate();
        }
    }

    static byte[] file(String name) throws Exception {
        return Files.readAllBytes(SharedFiles.protocols("elastic-apm/testdata/" + name));
    }

    @Test
    void rumV3EventsFromAnAllowedOriginAreAcceptedWithCorsHeaders() throws Exception {
        given().header("Origin", ORIGIN).contentType("application/x-ndjson").body(file("intake-v3/rum_events.ndjson"))
                .post("/rum/" + rumKey + "/intake/v3/rum/events?verbose")
                .then().statusCode(202).body("accepted", equalTo(11))
                .header("Access-Control-Allow-Origin", ORIGIN).header("Vary", "Origin");
    }

    @Test
    void rumV2WithTheKeyInTheQueryIsAccepted() throws Exception {
        given().header("Origin", ORIGIN).contentType("application/x-ndjson")
                .body(file("intake-v2/transactions_spans_rum.ndjson"))
                .post("/intake/v2/rum/events?verbose&key=" + rumKey)
                .then().statusCode(202).body("accepted", equalTo(2));
    }

    @Test
    void preflightAnswersForAllowedOriginsOnly() {
        given().header("Origin", ORIGIN).header("Access-Control-Request-Method", "POST")
                .options("/rum/" + rumKey + "/intake/v3/rum/events")
                .then().statusCode(200).header("Access-Control-Allow-Origin", ORIGIN)
                .header("Access-Control-Allow-Methods", "POST, OPTIONS")
                .header("Access-Control-Allow-Headers", notNullValue());
        given().header("Origin", "https://evil.example.com").options("/rum/" + rumKey + "/intake/v3/rum/events")
                .then().statusCode(403);
    }

    @Test
    void otherOriginsUnknownKeysAndBackendAgentsAreRefused() throws Exception {
        byte[] body = file("intake-v3/rum_events.ndjson");
        given().header("Origin", "https://evil.example.com").contentType("application/x-ndjson").body(body)
                .post("/rum/" + rumKey + "/intake/v3/rum/events").then().statusCode(403);
        given().header("Origin", ORIGIN).contentType("application/x-ndjson").body(body)
                .post("/rum/not-a-key/intake/v3/rum/events").then().statusCode(401);
        given().contentType("application/x-ndjson").body(body).post("/intake/v3/rum/events").then().statusCode(401);
        // a backend agent's data is not accepted anonymously
        given().header("Origin", ORIGIN).accept("application/json").contentType("application/x-ndjson")
                .body(file("intake-v2/errors.ndjson")).post("/rum/" + rumKey + "/intake/v2/rum/events")
                .then().statusCode(403).body("accepted", equalTo(0)).body("errors[0].message", equalTo(
                        "cannot handle stream: cannot process batch: unauthorized: anonymous access not permitted for agent \"elastic-node\""));
    }

    @Test
    void eachClientIpHasItsOwnRate() throws Exception {
        // ratelimit.ndjson: 19 events of an "elastic-node" agent; burst 16 per IP → the first request runs over
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE project_rum_access SET allowed_agents = '{rum-js,js-base,elastic-node}' WHERE public_key = ?")) {
            ps.setString(1, rumKey);
            ps.executeUpdate();
        }
        byte[] body = file("intake-v2/ratelimit.ndjson");
        given().header("Origin", ORIGIN).header("X-Forwarded-For", "10.0.0.1").contentType("application/x-ndjson")
                .body(body).post("/rum/" + rumKey + "/intake/v2/rum/events")
                .then().statusCode(429).header("Retry-After", notNullValue());
        given().header("Origin", ORIGIN).header("X-Forwarded-For", "10.0.0.1").contentType("application/x-ndjson")
                .body(body).post("/rum/" + rumKey + "/intake/v2/rum/events").then().statusCode(429);
        given().header("Origin", ORIGIN).header("X-Forwarded-For", "10.0.0.2").contentType("application/x-ndjson")
                .body(file("intake-v2/errors_rum.ndjson")).post("/rum/" + rumKey + "/intake/v2/rum/events?verbose")
                .then().statusCode(202).body("accepted", equalTo(1));
    }
}
