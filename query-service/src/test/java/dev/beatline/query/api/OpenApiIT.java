package dev.beatline.query.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import dev.beatline.infra.BeatlineTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The API describes itself: OpenAPI document and Swagger UI. */
@QuarkusTest
@QuarkusTestResource(value = BeatlineTestResource.class, restrictToAnnotatedClass = false)
class OpenApiIT {

    @Test
    void openApiListsTheEndpointsAndTheBearerScheme() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/v1/projects/{project}/issues/{issue}/tags"))
                .body(containsString("/api/v1/projects/{project}/services/{service}/transactions/series"))
                .body(containsString("/api/v1/projects/{project}/keys"))
                .body(containsString("bearer"));
    }

    @Test
    void swaggerUiIsServed() {
        given().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
    }
}
