package dev.beatline.query.transactions;

import static dev.beatline.query.MetricsFixture.addDependencyCalls;
import static dev.beatline.query.QueryTestSupport.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.beatline.infra.BeatlineTestResource;
import dev.beatline.query.QueryTestSupport;
import dev.beatline.query.QueryTestSupport.TestProject;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A service's dependencies from dependency_metrics rows written as the processor writes them. */
@QuarkusTest
@QuarkusTestResource(value = BeatlineTestResource.class, restrictToAnnotatedClass = false)
class DependenciesApiIT {

    static final Instant H10 = Instant.parse("2026-11-20T10:00:00Z");

    @Inject
    AgroalDataSource dataSource;

    TestProject project;
    String reader;
    long[] postgres = new long[0];

    @BeforeEach
    void seed() throws Exception {
        project = QueryTestSupport.newProject();
        reader = QueryTestSupport.newKey(project.slug(), "read");
        Random random = new Random(7);
        for (int m = 0; m < 120; m++) {
            Instant minute = H10.plusSeconds(60L * m);
            long[] sql = random.longs(20, 1_000, 30_000).toArray();
            postgres = LongStream.concat(Arrays.stream(postgres), Arrays.stream(sql)).toArray();
            addDependencyCalls(dataSource, project.id(), minute, "shop", "production", "db", "postgresql", "postgresql",
                    m % 2, sql);
            addDependencyCalls(dataSource, project.id(), minute, "shop", "production", "external", "http",
                    "payments:443", 0, 400_000);
            // another service's calls must not show
            addDependencyCalls(dataSource, project.id(), minute, "mail", "production", "db", "redis", "redis", 0, 100);
        }
    }

    @Test
    void dependenciesOfAServiceWithLatencyPercentiles() {
        JsonPath d = as(reader).queryParams("from", "2026-11-20T10:00:00Z", "to", "2026-11-20T12:00:00Z")
                .get("/api/v1/projects/{p}/services/shop/dependencies", project.slug()).then().statusCode(200)
                .extract().jsonPath();
        // impact: postgresql 2400 calls x ~15 ms = 36 s, payments 120 x 0.4 s = 48 s
        assertThat(d.getList("dependencies.resource")).containsExactly("payments:443", "postgresql");
        assertThat(d.getDouble("dependencies[1].count")).isEqualTo(2400);
        assertThat(d.getDouble("dependencies[1].failureRate")).isCloseTo(60 / 2400.0, within(1e-6));
        assertThat(d.getString("dependencies[1].spanType")).isEqualTo("db");
        assertThat(d.getString("dependencies[1].spanSubtype")).isEqualTo("postgresql");
        long[] sorted = Arrays.stream(postgres).sorted().toArray();
        double exactP95 = sorted[(int) Math.ceil(0.95 * sorted.length) - 1];
        assertThat(d.getDouble("dependencies[1].p95Us")).isBetween(exactP95 * 0.99, exactP95 * 1.01);
        assertThat(d.getDouble("dependencies[0].p50Us")).isBetween(396_000.0, 404_000.0);
        // a range of edges only (no whole hour) reads the minute rows: 10 minutes
        JsonPath edge = as(reader).queryParams("from", "2026-11-20T10:10:00Z", "to", "2026-11-20T10:20:00Z")
                .get("/api/v1/projects/{p}/services/shop/dependencies", project.slug()).then().statusCode(200)
                .extract().jsonPath();
        assertThat(edge.getDouble("dependencies.find { it.resource == 'postgresql' }.count")).isEqualTo(200);
        as(reader).queryParams("limit", "0").get("/api/v1/projects/{p}/services/shop/dependencies", project.slug())
                .then().statusCode(400);
        as(QueryTestSupport.INGEST_TOKEN).get("/api/v1/projects/{p}/services/shop/dependencies", project.slug()).then()
                .statusCode(403);
    }
}
