package dev.beatline.processor;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beatline.infra.BeatlineTestResource;
import dev.beatline.model.ErrorEvent;
import dev.beatline.model.Topics;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The running processor exports the lag of each partition it owns at /q/metrics
 * ({@code beatline_processor_partition_lag{topic,partition}}): it grows while PostgreSQL refuses the batches and
 * falls to zero once they are committed.
 */
@QuarkusTest
@QuarkusTestResource(value = BeatlineTestResource.class, restrictToAnnotatedClass = false)
class PartitionLagMetricsIT {

    private static final Pattern LAG = Pattern.compile(
            "^beatline_processor_partition_lag\\{([^}]*)} ([0-9.eE+-]+)$", Pattern.MULTILINE);

    @Inject
    AgroalDataSource dataSource;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    /** Lag of each partition of the errors topic, by partition number. */
    private static Map<Integer, Double> errorLags() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Map<Integer, Double> out = new TreeMap<>();
        Matcher m = LAG.matcher(metrics);
        while (m.find()) {
            String tags = m.group(1);
            if (tags.contains("topic=\"" + Topics.ERRORS + "\"")) {
                Matcher p = Pattern.compile("partition=\"(\\d+)\"").matcher(tags);
                assertThat(p.find()).as("partition tag in %s", tags).isTrue();
                out.put(Integer.parseInt(p.group(1)), Double.parseDouble(m.group(2)));
            }
        }
        return out;
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    private long timesSeen(long project) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT coalesce(sum(times_seen), 0) FROM issues WHERE project_id = "
                        + project)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void lagPerPartitionGrowsWhileBatchesCannotCommitAndFallsToZeroOnceTheyDo() throws Exception {
        int events = 40;
        long project = ProcessorTestSupport.newProjectId();
        // PostgreSQL refuses every batch (not a data error: the processor retries it) until the trigger goes
        sql("""
                CREATE FUNCTION lag_test_refuse() RETURNS trigger LANGUAGE plpgsql AS
                  $$ BEGIN RAISE EXCEPTION 'refusing batches on purpose'; END $$;
                CREATE TRIGGER lag_test_refuse BEFORE INSERT OR UPDATE ON consumer_offsets
                  FOR EACH ROW EXECUTE FUNCTION lag_test_refuse()""");
        try {
            try (KafkaProducer<String, byte[]> producer = ProcessorTestSupport.producer(bootstrap)) {
                for (int i = 0; i < events; i++) { // 8 services: keys spread over the partitions
                    ErrorEvent e = ProcessorTestSupport.error(project, "svc-" + (i % 8), i % 3, "1.0", null,
                            Instant.now());
                    ProcessorTestSupport.send(producer, e);
                }
            }
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                Map<Integer, Double> lags = errorLags();
                assertThat(lags.keySet()).hasSize(BeatlineTestResource.TEST_PARTITIONS);
                assertThat(lags.values().stream().mapToDouble(Double::doubleValue).sum()).isGreaterThanOrEqualTo(events);
            });
            assertThat(timesSeen(project)).isZero();
        } finally {
            sql("DROP TRIGGER lag_test_refuse ON consumer_offsets");
        }
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(timesSeen(project)).isEqualTo(events);
            assertThat(errorLags()).hasSize(BeatlineTestResource.TEST_PARTITIONS).allSatisfy((p, lag) ->
                    assertThat(lag).as("lag of partition %d", p).isZero());
        });
    }
}
