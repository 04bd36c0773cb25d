package dev.beatline.query.auth;

import static dev.beatline.query.QueryTestSupport.admin;
import static dev.beatline.query.QueryTestSupport.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.beatline.infra.BeatlineTestResource;
import dev.beatline.query.QueryTestSupport;
import dev.beatline.query.QueryTestSupport.TestProject;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every way a call is refused, against the real key store in PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(value = BeatlineTestResource.class, restrictToAnnotatedClass = false)
class AuthRefusalsIT {

    TestProject project;
    TestProject other;
    String readKey;
    String ingestKey;

    @BeforeEach
    void projects() {
        project = QueryTestSupport.newProject();
        other = QueryTestSupport.newProject();
        readKey = QueryTestSupport.newKey(project.slug(), "read");
        ingestKey = QueryTestSupport.newKey(project.slug(), "ingest");
    }

    private static void refused(RequestSpecification request, String method, String path, int status) {
        request.contentType("application/json").body("{}").request(method, path)
                .then().statusCode(status).contentType("application/problem+json")
                .body("status", equalTo(status)).body("title", equalTo(status == 401 ? "Unauthorized"
                        : status == 403 ? "Forbidden" : "Not Found"));
    }

    @Test
    void noKeyMalformedHeaderOrUnknownKeyIs401() {
        String path = "/api/v1/projects/" + project.slug() + "/issues";
        refused(given(), "GET", path, 401);
        refused(given().header("Authorization", "Basic dXNlcjpwYXNz"), "GET", path, 401);
        refused(given().header("Authorization", "Bearer "), "GET", path, 401);
        refused(as("not-a-key"), "GET", path, 401);
        refused(given(), "GET", "/api/v1/projects", 401);
        refused(as("not-a-key"), "POST", "/api/v1/projects", 401);
    }

    @Test
    void ingestKeysCannotRead() {
        for (String path : List.of("/issues", "/services", "/transactions", "")) {
            refused(as(ingestKey), "GET", "/api/v1/projects/" + project.slug() + path, 403);
        }
        refused(as(QueryTestSupport.INGEST_TOKEN), "GET", "/api/v1/projects/default/issues", 403);
    }

    @Test
    void readKeysCannotReadAnotherProject() {
        for (String path : List.of("/issues", "/services", "/transactions", "")) {
            refused(as(readKey), "GET", "/api/v1/projects/" + other.slug() + path, 403);
        }
        refused(as(readKey), "GET", "/api/v1/projects/" + other.id() + "/issues", 403);
    }

    @Test
    void readKeysReadTheirOwnProjectBySlugOrId() {
        as(readKey).get("/api/v1/projects/{p}/issues", project.slug()).then().statusCode(200)
                .body("project", equalTo(project.slug()));
        as(readKey).get("/api/v1/projects/{p}", project.id()).then().statusCode(200).body("slug", equalTo(project.slug()));
    }

    @Test
    void readKeysCannotAdminister() {
        String p = "/api/v1/projects/" + project.slug();
        refused(as(readKey), "GET", "/api/v1/projects", 403);
        refused(as(readKey), "POST", "/api/v1/projects", 403);
        refused(as(readKey), "PATCH", p, 403);
        refused(as(readKey), "PUT", p + "/rate-limit", 403);
        refused(as(readKey), "GET", p + "/keys", 403);
        refused(as(readKey), "POST", p + "/keys", 403);
        refused(as(readKey), "DELETE", p + "/keys/1", 403);
        refused(as(ingestKey), "POST", p + "/keys", 403);
    }

    @Test
    void unknownProjectsAndKeysAre404ForAdmins() {
        refused(admin(), "GET", "/api/v1/projects/no-such-project/issues", 404);
        refused(admin(), "GET", "/api/v1/projects/999999999/services", 404);
        refused(admin(), "GET", "/api/v1/projects/no-such-project", 404);
        refused(admin(), "PATCH", "/api/v1/projects/no-such-project", 404);
        refused(admin(), "POST", "/api/v1/projects/no-such-project/keys", 404);
        refused(admin(), "DELETE", "/api/v1/projects/" + project.slug() + "/keys/999999999", 404);
        refused(admin(), "DELETE", "/api/v1/projects/" + project.slug() + "/keys/abc", 404);
        refused(admin(), "GET", "/api/v1/projects/" + project.slug() + "/issues/999999999", 404);
    }

    @Test
    void aKeyOfAnotherProjectCannotBeRevokedThroughThisOne() {
        long otherKeyId = ((Number) admin().contentType("application/json")
                .body(Map.of("name", "other", "scopes", List.of("read")))
                .post("/api/v1/projects/{p}/keys", other.slug()).then().statusCode(201).extract().path("id")).longValue();
        refused(admin(), "DELETE", "/api/v1/projects/" + project.slug() + "/keys/" + otherKeyId, 404);
    }

    @Test
    void revokedKeysAre401AtOnce() {
        as(readKey).get("/api/v1/projects/{p}/issues", project.slug()).then().statusCode(200);
        List<Map<String, Object>> keys = admin().get("/api/v1/projects/{p}/keys", project.slug())
                .then().statusCode(200).extract().jsonPath().getList("items");
        Object id = keys.stream().filter(k -> ((List<?>) k.get("scopes")).equals(List.of("read"))).findFirst()
                .orElseThrow().get("id");
        admin().delete("/api/v1/projects/{p}/keys/{k}", project.slug(), id).then().statusCode(200)
                .body("revokedAt", startsWith("20"));
        refused(as(readKey), "GET", "/api/v1/projects/" + project.slug() + "/issues", 401);
    }
}
