package dev.beatline.intake.limits;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.beatline.infra.BeatlineTestResource;
import dev.beatline.intake.IntakeTestSupport;
import dev.beatline.intake.IntakeTestSupport.SeededProject;
import dev.beatline.model.SharedFiles;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Per-project token buckets: 429 + Retry-After over the rate, and one project's flood leaves the others alone. */
@QuarkusTest
@QuarkusTestResource(value = BeatlineTestResource.class, restrictToAnnotatedClass = false)
class RateLimitIT {

    @Inject
    AgroalDataSource dataSource;

    SeededProject limited(int eps, int burst) throws Exception {
        SeededProject p = IntakeTestSupport.project(dataSource);
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE projects SET rate_limit_eps = ?, rate_limit_burst = ? WHERE id = ?")) {
            ps.setInt(1, eps);
            ps.setInt(2, burst);
            ps.setLong(3, p.id());
            ps.executeUpdate();
        }
        return p;
    }

    static byte[] file(String name) throws Exception {
        return Files.readAllBytes(SharedFiles.protocols("elastic-apm/testdata/intake-v2/" + name));
    }

    @Test
    void overTheRateTheStreamStopsWith429AndAnEmptyBucketRefusesUpFront() throws Exception {
        SeededProject p = limited(1, 7);
        byte[] five = file("transactions.ndjson");
        given().header("Authorization", "Bearer " + p.secret()).contentType("application/x-ndjson").body(five)
                .post("/intake/v2/events?verbose").then().statusCode(202).body("accepted", equalTo(5));
        // about 2 tokens left (1/s refills): a few events are accepted, then the stream stops
        Response partial = given().header("Authorization", "Bearer " + p.secret()).accept("application/json")
                .contentType("application/x-ndjson").body(five).post("/intake/v2/events");
        assertThat(partial.statusCode()).isEqualTo(429);
        assertThat(partial.header("Retry-After")).isNotNull();
        assertThat(partial.jsonPath().getInt("accepted")).isBetween(2, 4);
        assertThat(partial.jsonPath().getString("errors[0].message"))
                .isEqualTo("cannot handle stream: cannot process batch: rate limit exceeded");
        // the bucket is empty now: refused before the body is read
        given().header("Authorization", "Bearer " + p.secret()).accept("application/json")
                .contentType("application/x-ndjson").body(five)
                .post("/intake/v2/events").then().statusCode(429).header("Retry-After", notNullValue());
    }

    @Test
    void aFloodingProjectDoesNotSlowAnotherProject() throws Exception {
        SeededProject flooder = limited(50, 100);
        SeededProject quiet = IntakeTestSupport.project(dataSource);
        byte[] heavy = file("heavy.ndjson");
        byte[] errors = file("errors.ndjson");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger floodTooMany = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> flood = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                flood.add(pool.submit(() -> {
                    while (!stop.get()) {
                        int s = given().header("Authorization", "Bearer " + flooder.secret())
                                .contentType("application/x-ndjson").body(heavy).post("/intake/v2/events").statusCode();
                        if (s == 429) {
                            floodTooMany.incrementAndGet();
                        }
                    }
                }));
            }
            long worstMillis = 0;
            for (int i = 0; i < 20; i++) {
                long t0 = System.nanoTime();
                Response r = given().header("Authorization", "Bearer " + quiet.secret())
                        .contentType("application/x-ndjson").body(errors).post("/intake/v2/events?verbose");
                worstMillis = Math.max(worstMillis, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                assertThat(r.statusCode()).isEqualTo(202);
                assertThat(r.jsonPath().getInt("accepted")).isEqualTo(5);
            }
            assertThat(floodTooMany.get()).as("the flooding project was limited").isPositive();
            // generous bound for a noisy 2-core box: acceptance is the point, not speed
            assertThat(worstMillis).isLessThan(5_000);
        } finally {
            stop.set(true);
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
        for (Future<?> f : flood) {
            f.get();
        }
    }
}
