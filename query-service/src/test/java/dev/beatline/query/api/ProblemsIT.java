package dev.beatline.query.api;

import static dev.beatline.query.QueryTestSupport.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.beatline.infra.BeatlineTestResource;
import dev.beatline.query.QueryTestSupport;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/** Every error comes out as application/problem+json, with a specific status and no internals. */
@QuarkusTest
@QuarkusTestResource(value = BeatlineTestResource.class, restrictToAnnotatedClass = false)
class ProblemsIT {

    private static void isProblem(Response r, int status) {
        r.then().statusCode(status).contentType("application/problem+json").body("status", equalTo(status))
                .body("type", equalTo("about:blank"));
        String body = r.asString();
        assertThat(body).doesNotContain("Exception").doesNotContain("dev.beatline").doesNotContain("\tat ")
                .doesNotContain("org.postgresql").doesNotContain("jakarta.");
    }

    @Test
    void nonNumericLimitIs400NotTheSpecs404() {
        Response r = admin().get("/api/v1/projects/default/issues?limit=abc");
        isProblem(r, 400);
        r.then().body("violations[0].field", equalTo("limit"));
        isProblem(admin().get("/api/v1/projects/default/transactions?limit=-1"), 400);
        isProblem(admin().get("/api/v1/projects?limit=1x"), 400);
    }

    @Test
    void badParametersNameTheParameter() {
        isProblem(admin().get("/api/v1/projects/default/issues?sort=title"), 400);
        isProblem(admin().get("/api/v1/projects/default/issues?status=open"), 400);
        isProblem(admin().get("/api/v1/projects/default/issues?cursor=!!notacursor"), 400);
        isProblem(admin().get("/api/v1/projects/default/services?from=yesterday"), 400);
        Response reversed = admin().get("/api/v1/projects/default/services?from=2026-11-22T10:00:00Z&to=2026-11-21T10:00:00Z");
        isProblem(reversed, 400);
        reversed.then().body("detail", containsString("from"));
        isProblem(admin().get("/api/v1/projects/default/services/x/transactions/series?name=a&interval=7s"), 400);
        isProblem(admin().get("/api/v1/projects/default/services/x/transactions/series?interval=1m"), 400);
        isProblem(admin().get("/api/v1/projects/default/services/x/transactions/series?name=a&interval=1m"
                + "&from=2026-10-01T00:00:00Z&to=2026-11-01T00:00:00Z"), 400);
    }

    @Test
    void unknownPathIs404() {
        isProblem(admin().get("/api/v1/nothing-here"), 404);
        isProblem(admin().get("/api/v1/projects/default/issues/1/nothing"), 404);
    }

    @Test
    void wrongMethodIs405() {
        isProblem(admin().delete("/api/v1/projects"), 405);
        isProblem(admin().put("/api/v1/projects/default/keys"), 405);
    }

    @Test
    void wrongContentTypeIs415() {
        isProblem(admin().contentType("text/plain").body("slug=x").post("/api/v1/projects"), 415);
    }

    @Test
    void unparsableJsonIs400WithoutParserInternals() {
        isProblem(admin().contentType("application/json").body("{\"slug\": ").post("/api/v1/projects"), 400);
        isProblem(admin().contentType("application/json").body("{\"slug\": [1, 2]}").post("/api/v1/projects"), 400);
        Response wrongType = admin().contentType("application/json").body("{\"eventsPerSecond\": \"many\"}")
                .put("/api/v1/projects/default/rate-limit");
        isProblem(wrongType, 400);
        wrongType.then().body("violations[0].field", equalTo("eventsPerSecond"));
        isProblem(admin().contentType("application/json").body("").post("/api/v1/projects"), 400);
    }

    @Test
    void authFailuresAreProblemsToo() {
        isProblem(QueryTestSupport.as("nope").get("/api/v1/projects/default/issues"), 401);
    }
}
