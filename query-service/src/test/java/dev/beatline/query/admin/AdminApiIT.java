package dev.beatline.query.admin;

import static dev.beatline.query.QueryTestSupport.admin;
import static dev.beatline.query.QueryTestSupport.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Projects, keys and rate limits through the admin API, checked against the rows in PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(value = BeatlineTestResource.class, restrictToAnnotatedClass = false)
class AdminApiIT {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void createdProjectIsListedReadableAndRenamable() {
        String slug = "shop-" + UUID.randomUUID().toString().substring(0, 6);
        JsonPath created = admin().contentType("application/json").body(Map.of("slug", slug, "name", "Shop"))
                .post("/api/v1/projects").then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.endsWith("/api/v1/projects/" + slug))
                .body("slug", equalTo(slug)).body("name", equalTo("Shop"))
                .body("rateLimitEventsPerSecond", nullValue()).extract().jsonPath();
        long id = created.getLong("id");

        admin().get("/api/v1/projects/{p}", id).then().statusCode(200).body("slug", equalTo(slug));
        admin().contentType("application/json").body(Map.of("name", "Shop backend"))
                .patch("/api/v1/projects/{p}", slug).then().statusCode(200).body("name", equalTo("Shop backend"))
                .body("slug", equalTo(slug));
        admin().get("/api/v1/projects/{p}", slug).then().body("name", equalTo("Shop backend"));
    }

    @Test
    void duplicateSlugIs409AndInvalidSlugIs400() {
        TestProject p = QueryTestSupport.newProject();
        admin().contentType("application/json").body(Map.of("slug", p.slug())).post("/api/v1/projects")
                .then().statusCode(409).contentType("application/problem+json");
        admin().contentType("application/json").body(Map.of("slug", "Not A Slug")).post("/api/v1/projects")
                .then().statusCode(400).body("violations[0].field", equalTo("slug"));
        admin().contentType("application/json").body(Map.of("slug", "12345")).post("/api/v1/projects")
                .then().statusCode(400);
        admin().contentType("application/json").body(Map.of("name", "no slug")).post("/api/v1/projects")
                .then().statusCode(400);
    }

    @Test
    void projectListPagesWithACursorUntilEveryProjectWasSeenOnce() {
        for (int i = 0; i < 3; i++) {
            QueryTestSupport.newProject();
        }
        List<Integer> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = admin().queryParam("limit", 2);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/api/v1/projects").then().statusCode(200).extract().jsonPath();
            List<Integer> ids = page.getList("items.id", Integer.class);
            assertThat(ids.size()).isLessThanOrEqualTo(2);
            seen.addAll(ids);
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null);
        assertThat(seen).doesNotHaveDuplicates().isSorted().hasSizeGreaterThanOrEqualTo(4);
        assertThat(pages).isGreaterThanOrEqualTo(2);
    }

    @Test
    void newKeyShowsItsSecretOnceWithDsnAndWorksAsBearer() throws Exception {
        TestProject p = QueryTestSupport.newProject();
        JsonPath key = admin().contentType("application/json")
                .body(Map.of("name", "ci reader", "scopes", List.of("read", "ingest")))
                .post("/api/v1/projects/{p}/keys", p.slug()).then().statusCode(201).extract().jsonPath();
        String secret = key.getString("secret");
        String publicKey = key.getString("publicKey");
        assertThat(secret).hasSize(64);
        assertThat(key.getString("dsn")).isEqualTo("http://" + publicKey + "@127.0.0.1:8200/" + p.id());
        assertThat(key.getList("scopes")).containsExactly("read", "ingest");

        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT secret_hash FROM project_keys WHERE id = ?")) {
            ps.setLong(1, key.getLong("id"));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(SecretHashing.sha256Hex(secret)).isNotEqualTo(secret);
            }
        }
        admin().get("/api/v1/projects/{p}/keys", p.slug()).then().statusCode(200)
                .body("items[0].publicKey", equalTo(publicKey)).body("items[0]", not(hasKey("secret")))
                .body("items[0].revokedAt", nullValue());
        as(secret).get("/api/v1/projects/{p}/issues", p.slug()).then().statusCode(200);
    }

    @Test
    void keyRequestsWithoutValidScopesAre400() {
        TestProject p = QueryTestSupport.newProject();
        Map<String, Object> unknownScope = new HashMap<>(Map.of("name", "x", "scopes", List.of("owner")));
        admin().contentType("application/json").body(unknownScope).post("/api/v1/projects/{p}/keys", p.slug())
                .then().statusCode(400).body("violations[0].field", equalTo("scopes"));
        admin().contentType("application/json").body(Map.of("name", "x")).post("/api/v1/projects/{p}/keys", p.slug())
                .then().statusCode(400);
    }

    @Test
    void rateLimitIsStoredInTheProjectAndCanBeReset() throws Exception {
        TestProject p = QueryTestSupport.newProject();
        admin().contentType("application/json").body(Map.of("eventsPerSecond", 50, "burst", 200))
                .put("/api/v1/projects/{p}/rate-limit", p.slug()).then().statusCode(200)
                .body("rateLimitEventsPerSecond", equalTo(50)).body("rateLimitBurst", equalTo(200));
        assertThat(storedLimit(p.id())).containsExactly(50, 200);

        admin().contentType("application/json").body("{\"eventsPerSecond\": null, \"burst\": null}")
                .put("/api/v1/projects/{p}/rate-limit", p.slug()).then().statusCode(200)
                .body("rateLimitEventsPerSecond", nullValue());
        assertThat(storedLimit(p.id())).containsExactly(null, null);

        admin().contentType("application/json").body(Map.of("eventsPerSecond", 0, "burst", 10))
                .put("/api/v1/projects/{p}/rate-limit", p.slug()).then().statusCode(400);
        admin().contentType("application/json").body(Map.of("eventsPerSecond", 100, "burst", 10))
                .put("/api/v1/projects/{p}/rate-limit", p.slug()).then().statusCode(400)
                .body("violations[0].field", equalTo("burst"));
        admin().contentType("application/json").body(Map.of("eventsPerSecond", 100))
                .put("/api/v1/projects/{p}/rate-limit", p.slug()).then().statusCode(400);
    }

    @Test
    void groupingRulesAreParsedBeforeTheyAreStoredAndEachChangeBumpsTheVersion() throws Exception {
        TestProject p = QueryTestSupport.newProject();
        admin().get("/api/v1/projects/{p}/grouping-rules", p.slug()).then().statusCode(200)
                .body("fingerprintRules", equalTo("")).body("stackTraceRules", equalTo("")).body("version", equalTo(0));

        String fingerprintRules = "# database outages are one issue\nerror.type:*DatabaseUnavailable -> db-down title=\"Database down\"";
        admin().contentType("application/json")
                .body(Map.of("fingerprintRules", fingerprintRules, "stackTraceRules", "stack.module:com.acme.* +app"))
                .put("/api/v1/projects/{p}/grouping-rules", p.slug()).then().statusCode(200)
                .body("fingerprintRules", equalTo(fingerprintRules)).body("version", equalTo(1));
        assertThat(storedRules(p.id())).containsExactly(fingerprintRules, "stack.module:com.acme.* +app", "1");

        admin().contentType("application/json").body(Map.of("fingerprintRules", "ok:1 -> x\nerror.type:Foo"))
                .put("/api/v1/projects/{p}/grouping-rules", p.slug()).then().statusCode(400)
                .body("violations[0].field", equalTo("fingerprintRules"))
                .body("detail", equalTo("fingerprintRules: fingerprint rules, line 1: unknown matcher 'ok'"));
        admin().contentType("application/json").body(Map.of("stackTraceRules", "stack.module:com.acme.*"))
                .put("/api/v1/projects/{p}/grouping-rules", p.slug()).then().statusCode(400)
                .body("violations[0].field", equalTo("stackTraceRules"));
        admin().contentType("application/json").body(Map.of("fingerprintRules", "x".repeat(70_000)))
                .put("/api/v1/projects/{p}/grouping-rules", p.slug()).then().statusCode(400);
        assertThat(storedRules(p.id())).as("refused changes leave the rules alone")
                .containsExactly(fingerprintRules, "stack.module:com.acme.* +app", "1");

        String readOnly = QueryTestSupport.newKey(p.slug(), "read");
        as(readOnly).get("/api/v1/projects/{p}/grouping-rules", p.slug()).then().statusCode(200);
        as(readOnly).contentType("application/json").body(Map.of("fingerprintRules", ""))
                .put("/api/v1/projects/{p}/grouping-rules", p.slug()).then().statusCode(403);

        admin().contentType("application/json").body("{}")
                .put("/api/v1/projects/{p}/grouping-rules", p.slug()).then().statusCode(200)
                .body("fingerprintRules", equalTo("")).body("version", equalTo(2));
    }

    private List<String> storedRules(long projectId) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT fingerprint_rules, stacktrace_rules, grouping_rules_version FROM projects WHERE id = ?")) {
            ps.setLong(1, projectId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return List.of(rs.getString(1), rs.getString(2), Long.toString(rs.getLong(3)));
            }
        }
    }

    private List<Integer> storedLimit(long projectId) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT rate_limit_eps, rate_limit_burst FROM projects WHERE id = ?")) {
            ps.setLong(1, projectId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                List<Integer> out = new ArrayList<>();
                out.add((Integer) rs.getObject(1));
                out.add((Integer) rs.getObject(2));
                return out;
            }
        }
    }
}
