package dev.beatline.intake;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beatline.infra.BeatlineTestResource;
import dev.beatline.intake.IntakeTestSupport.SeededProject;
import dev.beatline.model.SharedFiles;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** /q/metrics counts requests, accepted and rejected events by project and reason, bytes and produce latency. */
@QuarkusTest
@QuarkusTestResource(value = BeatlineTestResource.class, restrictToAnnotatedClass = false)
class IntakeMetricsIT {

    @Inject
    AgroalDataSource dataSource;

    static double value(String metrics, String name, String... tags) {
        double sum = 0;
        boolean found = false;
        for (String line : metrics.split("\n")) {
            if (!line.startsWith(name + "{")) {
                continue;
            }
            boolean all = true;
            for (String t : tags) {
                all &= line.contains(t);
            }
            if (all) {
                Matcher m = Pattern.compile("} ([0-9.eE+-]+)").matcher(line);
                if (m.find()) {
                    sum += Double.parseDouble(m.group(1));
                    found = true;
                }
            }
        }
        return found ? sum : 0;
    }

    @Test
    void countersMoveForAcceptedAndRejectedEvents() throws Exception {
        SeededProject p = IntakeTestSupport.project(dataSource);
        String project = "project=\"" + p.slug() + "\"";
        given().header("Authorization", "Bearer " + p.secret()).contentType("application/x-ndjson")
                .body(Files.readAllBytes(SharedFiles.protocols("elastic-apm/testdata/intake-v2/errors.ndjson")))
                .post("/intake/v2/events").then().statusCode(202);
        given().header("Authorization", "Bearer " + p.secret()).contentType("application/x-ndjson")
                .body(Files.readAllBytes(SharedFiles.protocols("elastic-apm/testdata/intake-v2/invalid-event.ndjson")))
                .post("/intake/v2/events").then().statusCode(400);
        String m = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(value(m, "beatline_intake_events_accepted_total", project)).isEqualTo(6.0);
        assertThat(value(m, "beatline_intake_events_rejected_total", project, "reason=\"invalid\"")).isEqualTo(1.0);
        assertThat(value(m, "beatline_intake_requests_total", project, "status=\"202\"", "reason=\"ok\"")).isEqualTo(1.0);
        assertThat(value(m, "beatline_intake_requests_total", project, "status=\"400\"", "reason=\"invalid_events\"")).isEqualTo(1.0);
        assertThat(value(m, "beatline_intake_bytes_total", "kind=\"wire\"")).isPositive();
        assertThat(value(m, "beatline_intake_produce_latency_seconds_count", "protocol=\"elastic\"")).isPositive();
        assertThat(m).contains("beatline_intake_open_streams");
    }
}
