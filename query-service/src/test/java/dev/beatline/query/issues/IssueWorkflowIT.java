package dev.beatline.query.issues;

import static dev.beatline.query.QueryTestSupport.admin;
import static dev.beatline.query.QueryTestSupport.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beatline.infra.BeatlineTestResource;
import dev.beatline.model.keys.SecretHashing;
import dev.beatline.query.QueryTestSupport;
import dev.beatline.query.QueryTestSupport.TestProject;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue workflow writes through the API: the stored state is what the processor's regression rules read (V100
 * header), every write is in the activity log with the writing key as actor, and every refusal is specific.
 */
@QuarkusTest
@QuarkusTestResource(value = BeatlineTestResource.class, restrictToAnnotatedClass = false)
class IssueWorkflowIT {

    @Inject
    AgroalDataSource dataSource;

    TestProject project;
    String reader;
    long issue;
    String base;

    @BeforeEach
    void seed() throws Exception {
        project = QueryTestSupport.newProject();
        reader = QueryTestSupport.newKey(project.slug(), "read");
        Instant t = Instant.parse("2026-11-20T10:00:00Z");
        // last_release is '1.1' (QueryTestSupport.insertIssue)
        issue = QueryTestSupport.insertIssue(dataSource, project.id(), "boom", "app.Main", "error", "shop", "unresolved",
                t, t, 3, 1);
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        UPDATE issues SET grouping_components = '[{"id": "exception", "contributes": true,
                               "values": [{"id": "type", "values": ["IllegalStateException"]}]}]'::jsonb
                         WHERE id = ?""")) {
            ps.setLong(1, issue);
            ps.executeUpdate();
        }
        base = "/api/v1/projects/" + project.slug() + "/issues/" + issue;
    }

    /** status, resolved_at IS NOT NULL, resolved_in_release, resolved_after_release, substatus, assignee. */
    private List<Object> stored() throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        SELECT status, resolved_at IS NOT NULL, resolved_in_release, resolved_after_release, substatus,
                               assignee FROM issues WHERE id = ?""")) {
            ps.setLong(1, issue);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Arrays.asList(rs.getString(1), rs.getBoolean(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6));
            }
        }
    }

    private long adminKeyId() throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT id FROM project_keys WHERE secret_hash = ?")) {
            ps.setString(1, SecretHashing.sha256Hex(QueryTestSupport.ADMIN_TOKEN));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void eachWriteStoresWhatTheRegressionRulesReadAndIsLogged() throws Exception {
        JsonPath resolved = admin().post(base + "/resolve").then().statusCode(200).extract().jsonPath();
        assertThat(resolved.getString("status")).isEqualTo("resolved");
        assertThat(resolved.getString("resolvedAt")).isNotNull();
        assertThat(stored()).containsExactly("resolved", true, null, null, "new", null);

        admin().contentType("application/json").body(Map.of("inRelease", "1.2")).post(base + "/resolve").then()
                .statusCode(200);
        assertThat(stored()).containsExactly("resolved", true, "1.2", null, "new", null);

        admin().post(base + "/resolve-in-next-release").then().statusCode(200);
        assertThat(stored()).containsExactly("resolved_in_next_release", true, null, "1.1", "new", null);

        admin().contentType("application/json").body("{\"assignee\": \"ada@example.com\"}").put(base + "/assignee")
                .then().statusCode(200);
        assertThat(stored()).containsExactly("resolved_in_next_release", true, null, "1.1", "new", "ada@example.com");

        admin().post(base + "/ignore").then().statusCode(200);
        assertThat(stored()).containsExactly("ignored", false, null, null, "archived_forever", "ada@example.com");

        JsonPath open = admin().post(base + "/unresolve").then().statusCode(200).extract().jsonPath();
        assertThat(open.getString("substatus")).isEqualTo("ongoing");
        assertThat(stored()).containsExactly("unresolved", false, null, null, "ongoing", "ada@example.com");

        admin().contentType("application/json").body("{\"assignee\": null}").put(base + "/assignee").then()
                .statusCode(200);
        assertThat(stored().get(5)).isNull();

        JsonPath detail = as(reader).get(base).then().statusCode(200).extract().jsonPath();
        assertThat(detail.getList("activity.kind")).containsExactly("set_resolved", "set_resolved_in_release",
                "set_resolved_in_next_release", "assigned", "set_ignored", "set_unresolved", "unassigned");
        assertThat(detail.getList("activity.actor")).containsOnly("key:" + adminKeyId());
        assertThat(detail.getString("activity[1].data.version")).isEqualTo("1.2");
        assertThat(detail.getString("activity[2].data.current_release")).isEqualTo("1.1");
        assertThat(detail.getString("activity[4].data.previous_status")).isEqualTo("resolved_in_next_release");
        assertThat(detail.getString("groupingComponents[0].id")).isEqualTo("exception");
        assertThat(detail.getList("groupingComponents[0].values[0].values")).containsExactly("IllegalStateException");
        // the list filters on the workflow status
        assertThat(as(reader).queryParam("status", "unresolved").get("/api/v1/projects/" + project.slug() + "/issues")
                .then().statusCode(200).extract().jsonPath().getList("issues.id", Long.class)).containsExactly(issue);
    }

    @Test
    void readAndIngestKeysCannotWriteAndNothingIsLogged() throws Exception {
        for (String path : List.of("/resolve", "/resolve-in-next-release", "/ignore", "/unresolve")) {
            as(reader).post(base + path).then().statusCode(403).contentType("application/problem+json");
            as(QueryTestSupport.INGEST_TOKEN).post(base + path).then().statusCode(403);
            given().post(base + path).then().statusCode(401);
        }
        as(reader).contentType("application/json").body("{\"assignee\": \"x\"}").put(base + "/assignee").then()
                .statusCode(403);
        assertThat(stored()).containsExactly("unresolved", false, null, null, "new", null);
        assertThat(as(reader).get(base).then().statusCode(200).extract().jsonPath().getList("activity")).isEmpty();
    }

    @Test
    void badWritesAreSpecific4xx() throws Exception {
        admin().post("/api/v1/projects/" + project.slug() + "/issues/999999999/resolve").then().statusCode(404);
        admin().post("/api/v1/projects/no-such-project/issues/" + issue + "/resolve").then().statusCode(404);
        // an issue of another project is not found through this one
        admin().post("/api/v1/projects/default/issues/" + issue + "/ignore").then().statusCode(404);
        admin().post("/api/v1/projects/" + project.slug() + "/issues/abc/resolve").then().statusCode(404);
        admin().contentType("application/json").body("{\"inRelease\": [\"1.2\"]}").post(base + "/resolve").then()
                .statusCode(400).contentType("application/problem+json");
        admin().contentType("application/json").body("{\"inRelease\": \"  \"}").post(base + "/resolve").then()
                .statusCode(400);
        admin().contentType("application/json").body("{\"assignee\": \"" + "x".repeat(201) + "\"}")
                .put(base + "/assignee").then().statusCode(400);
        admin().contentType("application/json").body("").put(base + "/assignee").then().statusCode(400);
        admin().contentType("application/json").body("{oops").post(base + "/resolve").then().statusCode(400);
        assertThat(stored()).containsExactly("unresolved", false, null, null, "new", null);
    }
}
