package dev.beatline.query.transactions;

import static dev.beatline.query.QueryTestSupport.addTransactionMinute;
import static dev.beatline.query.QueryTestSupport.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.beatline.infra.BeatlineTestResource;
import dev.beatline.model.ErrorEvent;
import dev.beatline.model.EventHeader;
import dev.beatline.model.TestEvents;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Services overview, transaction lists and series over minute metrics written as the processor writes them;
 * the hourly rollup is filled by the V300 trigger.
 */
@QuarkusTest
@QuarkusTestResource(value = BeatlineTestResource.class, restrictToAnnotatedClass = false)
class ServicesApiIT {

    /** 10:00 to 13:00 of a day: minutes at 10:30..10:59 and 12:00..12:29 are edges, 11:00..11:59 a whole hour. */
    static final Instant H10 = Instant.parse("2026-11-20T10:00:00Z");
    static final String FROM = "2026-11-20T10:30:00Z";
    static final String TO = "2026-11-20T12:30:00Z";

    @Inject
    AgroalDataSource dataSource;

    TestProject project;
    String reader;

    @BeforeEach
    void seed() throws Exception {
        project = QueryTestSupport.newProject();
        reader = QueryTestSupport.newKey(project.slug(), "read");
        for (int m = 0; m < 180; m++) {
            Instant minute = H10.plusSeconds(60L * m);
            // GET /orders: 10 a minute, 100 ms each, one failure every minute
            addTransactionMinute(dataSource, project.id(), minute, "shop", "production", "GET /orders", 10, 1,
                    10 * 100_000, 90_000, 110_000);
            // POST /checkout: 2 a minute, 1 s each, no failures
            addTransactionMinute(dataSource, project.id(), minute, "shop", "production", "POST /checkout", 2, 0,
                    2 * 1_000_000, 900_000, 1_100_000);
        }
        // the processor adds to an existing minute on a redelivered/later batch: the rollup must follow
        addTransactionMinute(dataSource, project.id(), H10.plusSeconds(60L * 70), "shop", "production", "GET /orders",
                10, 10, 10 * 100_000, 50_000, 2_000_000);
        addTransactionMinute(dataSource, project.id(), H10.plusSeconds(60L * 40), "mail", "staging", "send", 4, 0,
                4 * 5_000, 5_000, 5_000);
        // errors in the whole hour, in the leading edge (10:45) and one after the range (12:45)
        List<Instant> errorTimes = List.of(H10.plusSeconds(3600), H10.plusSeconds(3601), H10.plusSeconds(45 * 60),
                H10.plusSeconds(165 * 60));
        for (int i = 0; i < errorTimes.size(); i++) {
            ErrorEvent base = TestEvents.error(project.id(), "shop");
            EventHeader h = new EventHeader(1, UUID.randomUUID().toString(), project.id(), errorTimes.get(i),
                    errorTimes.get(i), base.header().source(), base.header().service(), null, null, null, null);
            ErrorEvent e = new ErrorEvent(h, null, "error", "x", null, null, null, base.exceptions(), null, null, "java",
                    null, null, null, null, null);
            long issue = QueryTestSupport.insertIssue(dataSource, project.id(), "x" + i, null, "error", "shop",
                    "unresolved", H10, H10, 1, 0);
            QueryTestSupport.insertOccurrence(dataSource, issue, e);
        }
    }

    private JsonPath get(String path, Map<String, ?> params) {
        return as(reader).queryParams(params).get("/api/v1/projects/" + project.slug() + path).then().statusCode(200)
                .extract().jsonPath();
    }

    @Test
    void rollupEqualsTheSumOfMinutesIncludingUpdatedMinutes() throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        SELECT h.count, h.failure_count, h.sum_us, h.min_us, h.max_us,
                               (SELECT SUM(count) FROM transaction_metrics m WHERE m.project_id = h.project_id
                                   AND m.transaction_name = h.transaction_name AND date_trunc('hour', m.bucket) = h.hour)
                          FROM transaction_metrics_hourly h
                         WHERE h.project_id = ? AND h.transaction_name = 'GET /orders' AND h.hour = ?""")) {
            ps.setLong(1, project.id());
            ps.setTimestamp(2, java.sql.Timestamp.from(H10.plusSeconds(3600)));
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getDouble(1)).isEqualTo(610).isEqualTo(rs.getDouble(6));
                assertThat(rs.getDouble(2)).isEqualTo(70);
                assertThat(rs.getDouble(3)).isEqualTo(61 * 1_000_000.0);
                assertThat(rs.getLong(4)).isEqualTo(50_000);
                assertThat(rs.getLong(5)).isEqualTo(2_000_000);
            }
        }
    }

    @Test
    void overviewCombinesRollupAndMinuteEdgesWithErrorCounts() {
        JsonPath o = get("/services", Map.of("from", FROM, "to", TO));
        assertThat(o.getList("services.service")).containsExactly("mail", "shop");
        Map<String, Object> shop = o.getMap("services.find { it.service == 'shop' }");
        // 120 minutes x 12 + the extra 10 at 11:10
        assertThat(((Number) shop.get("transactionCount")).doubleValue()).isEqualTo(1450);
        assertThat(((Number) shop.get("throughputPerMinute")).doubleValue()).isCloseTo(1450 / 120.0, within(1e-5));
        assertThat(((Number) shop.get("failureRate")).doubleValue()).isCloseTo(130 / 1450.0, within(1e-5));
        assertThat(((Number) shop.get("avgUs")).doubleValue())
                .isCloseTo((1210 * 100_000.0 + 240 * 1_000_000.0) / 1450, within(1e-2));
        assertThat(shop.get("p95Us")).isNull();
        assertThat(shop.get("errorCount")).isEqualTo(3);
    }

    @Test
    void transactionsOfAServiceSortByImpactThroughputAndFailureRate() {
        String path = "/services/shop/transactions";
        assertThat(get(path, Map.of("from", FROM, "to", TO)).getList("transactions.name"))
                .containsExactly("POST /checkout", "GET /orders");
        assertThat(get(path, Map.of("from", FROM, "to", TO, "sort", "throughput")).getList("transactions.name"))
                .containsExactly("GET /orders", "POST /checkout");
        JsonPath byFailures = get(path, Map.of("from", FROM, "to", TO, "sort", "failure_rate", "limit", "1"));
        assertThat(byFailures.getList("transactions.name")).containsExactly("GET /orders");
        assertThat(byFailures.getDouble("transactions[0].count")).isEqualTo(1210);
        assertThat(byFailures.getDouble("transactions[0].impact")).isEqualTo(1210 * 100_000.0);
        assertThat(byFailures.getLong("transactions[0].maxUs")).isEqualTo(2_000_000);
        assertThat(byFailures.getString("transactions[0].p95Us")).isNull();
        assertThat(get("/transactions", Map.of("from", FROM, "to", TO, "service", "mail")).getList("transactions.name"))
                .containsExactly("send");
    }

    @Test
    void seriesAtMinutesAndHoursAgreeOnTotals() {
        Map<String, String> q = Map.of("name", "GET /orders", "from", "2026-11-20T10:00:00Z",
                "to", "2026-11-20T13:00:00Z");
        JsonPath minutes = as(reader).queryParams(q).queryParam("interval", "1m")
                .get("/api/v1/projects/" + project.slug() + "/services/shop/transactions/series").then().statusCode(200)
                .extract().jsonPath();
        JsonPath hours = as(reader).queryParams(q).queryParam("interval", "1h")
                .get("/api/v1/projects/" + project.slug() + "/services/shop/transactions/series").then().statusCode(200)
                .extract().jsonPath();
        List<Double> perMinute = minutes.getList("points.count", Double.class);
        List<Double> perHour = hours.getList("points.count", Double.class);
        assertThat(perMinute).hasSize(180);
        assertThat(perHour).containsExactly(600.0, 610.0, 600.0);
        assertThat(perMinute.stream().mapToDouble(Double::doubleValue).sum()).isEqualTo(1810);
        assertThat(hours.getDouble("points[0].throughputPerMinute")).isEqualTo(10);
        assertThat(hours.getDouble("points[0].failureRate")).isEqualTo(0.1);
        assertThat(hours.getDouble("points[0].avgUs")).isEqualTo(100_000);
        assertThat(minutes.getDouble("points[70].failureRate")).isEqualTo(11 / 20.0);
        assertThat(hours.getString("points[0].p95Us")).isNull();
    }

    @Test
    void seriesOfAnUnknownTransactionIsAllZero() {
        JsonPath s = get("/services/shop/transactions/series", Map.of("name", "nope", "from", FROM, "to", TO,
                "interval", "30m"));
        assertThat(s.getList("points.count", Double.class)).containsOnly(0.0).hasSize(4);
        assertThat(s.getList("points.avgUs")).containsOnlyNulls();
    }
}
