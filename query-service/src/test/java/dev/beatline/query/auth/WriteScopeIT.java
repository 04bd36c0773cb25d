package dev.beatline.query.auth;

import static dev.beatline.query.QueryTestSupport.as;
import static org.hamcrest.Matchers.equalTo;

import dev.beatline.infra.BeatlineTestResource;
import dev.beatline.query.QueryTestSupport;
import dev.beatline.query.QueryTestSupport.TestProject;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A {@code write} key changes the issues of its own project, reads it, and nothing else. */
@QuarkusTest
@QuarkusTestResource(value = BeatlineTestResource.class, restrictToAnnotatedClass = false)
class WriteScopeIT {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aWriteKeyChangesIssuesOfItsProjectOnly() throws Exception {
        TestProject project = QueryTestSupport.newProject();
        TestProject other = QueryTestSupport.newProject();
        String writer = QueryTestSupport.newKey(project.slug(), "write");
        Instant t = Instant.now();
        long issue = QueryTestSupport.insertIssue(dataSource, project.id(), "Boom", "app", "error", "shop",
                "unresolved", t, t, 1, 0);
        long otherIssue = QueryTestSupport.insertIssue(dataSource, other.id(), "Boom", "app", "error", "shop",
                "unresolved", t, t, 1, 0);

        String base = "/api/v1/projects/" + project.slug() + "/issues/" + issue;
        as(writer).post(base + "/resolve").then().statusCode(200).body("status", equalTo("resolved"));
        as(writer).get(base).then().statusCode(200).body("activity[0].actor", equalTo("key:" + keyId(writer)));
        as(writer).post("/api/v1/projects/" + other.slug() + "/issues/" + otherIssue + "/resolve").then()
                .statusCode(403).contentType("application/problem+json");
        as(writer).get("/api/v1/projects/" + other.slug() + "/issues").then().statusCode(403);
        as(writer).contentType("application/json").body("{\"fingerprintRules\": \"\"}")
                .put("/api/v1/projects/" + project.slug() + "/grouping-rules").then().statusCode(403);
        as(writer).get("/api/v1/projects").then().statusCode(403);
    }

    private long keyId(String secret) throws Exception {
        try (var c = dataSource.getConnection(); var ps = c.prepareStatement(
                "SELECT id FROM project_keys WHERE secret_hash = ?")) {
            ps.setString(1, dev.beatline.model.keys.SecretHashing.sha256Hex(secret));
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
