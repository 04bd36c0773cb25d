package dev.beatline.query.transactions;

import static dev.beatline.query.MetricsFixture.addTransactions;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Services overview, transaction lists and series over metric rows written as the processor writes them (minute
 * and hour rows with duration histograms, V200). Percentiles are checked against the exact percentiles of the
 * generated durations (HdrHistogram with 2 significant digits: within 1 %).
 */
@QuarkusTest
@QuarkusTestResource(value = BeatlineTestResource.class, restrictToAnnotatedClass = false)
class ServicesApiIT {

    /** 10:00 to 13:00 of a day: minutes at 10:30..10:59 and 12:00..12:29 are edges, 11:00..11:59 a whole hour. */
    static final Instant H10 = Instant.parse("2026-11-20T10:00:00Z");
    static final String FROM = "2026-11-20T10:30:00Z";
    static final String TO = "2026-11-20T12:30:00Z";

    /** A generated transaction: group name, minute, duration. */
    record Tx(String name, int minute, long us) {
    }

    @Inject
    AgroalDataSource dataSource;

    TestProject project;
    String reader;
    final List<Tx> shop = new ArrayList<>();

    @BeforeEach
    void seed() throws Exception {
        project = QueryTestSupport.newProject();
        reader = QueryTestSupport.newKey(project.slug(), "read");
        Random random = new Random(42);
        for (int m = 0; m < 180; m++) {
            // GET /orders: 10 a minute, 20-220 ms, one failure every minute
            add("GET /orders", m, 1, random.longs(10, 20_000, 220_000).toArray());
            // POST /checkout: 2 a minute, 0.8-1.2 s, no failures
            add("POST /checkout", m, 0, random.longs(2, 800_000, 1_200_000).toArray());
        }
        // a later batch adds to an existing minute: 10 slow failures at 11:10
        add("GET /orders", 70, 10, random.longs(10, 1_000_000, 2_000_000).toArray());
        addTransactions(dataSource, project.id(), H10.plusSeconds(60L * 40), "mail", "staging", "send", 0,
                5_000, 5_000, 5_000, 5_000);
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

    private void add(String name, int minute, int failures, long... durations) throws Exception {
        addTransactions(dataSource, project.id(), H10.plusSeconds(60L * minute), "shop", "production", name, failures,
                durations);
        for (long d : durations) {
            shop.add(new Tx(name, minute, d));
        }
    }

    /** Exact percentile (nearest rank, as HdrHistogram) of the generated durations matching {@code which}. */
    private double exact(double percentile, Predicate<Tx> which) {
        long[] d = shop.stream().filter(which).mapToLong(Tx::us).sorted().toArray();
        int rank = (int) Math.ceil(percentile / 100 * d.length);
        return d[Math.max(0, rank - 1)];
    }

    private static void assertPercentile(Object actual, double exact) {
        assertThat(((Number) actual).doubleValue()).isBetween(exact * 0.99, exact * 1.01);
    }

    private static Predicate<Tx> minutes(int from, int to) {
        return t -> t.minute() >= from && t.minute() < to;
    }

    private JsonPath get(String path, Map<String, ?> params) {
        return as(reader).queryParams(params).get("/api/v1/projects/" + project.slug() + path).then().statusCode(200)
                .extract().jsonPath();
    }

    @Test
    void overviewCombinesHourAndMinuteRowsWithP95AndErrorCounts() {
        JsonPath o = get("/services", Map.of("from", FROM, "to", TO));
        assertThat(o.getList("services.service")).containsExactly("mail", "shop");
        Map<String, Object> shopRow = o.getMap("services.find { it.service == 'shop' }");
        // minutes 30..149: 120 x 12 + the extra 10 at 11:10
        Predicate<Tx> inRange = minutes(30, 150);
        double sum = shop.stream().filter(inRange).mapToLong(Tx::us).sum();
        assertThat(((Number) shopRow.get("transactionCount")).doubleValue()).isEqualTo(1450);
        assertThat(((Number) shopRow.get("throughputPerMinute")).doubleValue()).isCloseTo(1450 / 120.0, within(1e-5));
        assertThat(((Number) shopRow.get("failureRate")).doubleValue()).isCloseTo(130 / 1450.0, within(1e-5));
        assertThat(((Number) shopRow.get("avgUs")).doubleValue()).isCloseTo(sum / 1450, within(1e-2));
        assertPercentile(shopRow.get("p95Us"), exact(95, inRange));
        assertThat(shopRow.get("errorCount")).isEqualTo(3);
        Map<String, Object> mail = o.getMap("services.find { it.service == 'mail' }");
        assertPercentile(mail.get("p95Us"), 5_000);
    }

    @Test
    void transactionsOfAServiceSortByImpactThroughputFailureRateAndP95() {
        String path = "/services/shop/transactions";
        assertThat(get(path, Map.of("from", FROM, "to", TO)).getList("transactions.name"))
                .containsExactly("POST /checkout", "GET /orders");
        assertThat(get(path, Map.of("from", FROM, "to", TO, "sort", "throughput")).getList("transactions.name"))
                .containsExactly("GET /orders", "POST /checkout");
        assertThat(get(path, Map.of("from", FROM, "to", TO, "sort", "p95")).getList("transactions.name"))
                .containsExactly("POST /checkout", "GET /orders");
        assertThat(get(path, Map.of("from", FROM, "to", TO, "sort", "p95", "limit", "1")).getList("transactions.name"))
                .containsExactly("POST /checkout");
        JsonPath byFailures = get(path, Map.of("from", FROM, "to", TO, "sort", "failure_rate", "limit", "1"));
        assertThat(byFailures.getList("transactions.name")).containsExactly("GET /orders");
        Predicate<Tx> orders = minutes(30, 150).and(t -> t.name().equals("GET /orders"));
        assertThat(byFailures.getDouble("transactions[0].count")).isEqualTo(1210);
        double impact = shop.stream().filter(orders).mapToLong(Tx::us).sum();
        // JsonPath reads JSON numbers as floats: compare at float precision
        assertThat(byFailures.getDouble("transactions[0].impact")).isCloseTo(impact, within(impact * 1e-6));
        assertThat(byFailures.getLong("transactions[0].maxUs"))
                .isEqualTo(shop.stream().filter(orders).mapToLong(Tx::us).max().orElseThrow());
        assertPercentile(byFailures.get("transactions[0].p50Us"), exact(50, orders));
        assertPercentile(byFailures.get("transactions[0].p95Us"), exact(95, orders));
        assertPercentile(byFailures.get("transactions[0].p99Us"), exact(99, orders));
        assertThat(get("/transactions", Map.of("from", FROM, "to", TO, "service", "mail")).getList("transactions.name"))
                .containsExactly("send");
    }

    @Test
    void seriesAtMinutesAndHoursAgreeOnTotalsAndHavePercentiles() {
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
        assertThat(minutes.getDouble("points[70].failureRate")).isEqualTo(11 / 20.0);
        Predicate<Tx> orders = t -> t.name().equals("GET /orders");
        for (int h = 0; h < 3; h++) {
            Predicate<Tx> hour = orders.and(minutes(60 * h, 60 * (h + 1)));
            assertPercentile(hours.get("points[" + h + "].p50Us"), exact(50, hour));
            assertPercentile(hours.get("points[" + h + "].p95Us"), exact(95, hour));
            assertPercentile(hours.get("points[" + h + "].p99Us"), exact(99, hour));
        }
        Predicate<Tx> minute70 = orders.and(minutes(70, 71));
        assertPercentile(minutes.get("points[70].p95Us"), exact(95, minute70));
        assertPercentile(minutes.get("points[70].p50Us"), exact(50, minute70));
        // 5-minute buckets come from the minute rows: bucket 14 (11:10-11:15) merges five minute histograms
        JsonPath fiveMinutes = as(reader).queryParams(q).queryParam("interval", "5m")
                .get("/api/v1/projects/" + project.slug() + "/services/shop/transactions/series").then().statusCode(200)
                .extract().jsonPath();
        assertPercentile(fiveMinutes.get("points[14].p99Us"), exact(99, orders.and(minutes(70, 75))));
    }

    @Test
    void seriesOfAnUnknownTransactionIsAllZero() {
        JsonPath s = get("/services/shop/transactions/series", Map.of("name", "nope", "from", FROM, "to", TO,
                "interval", "30m"));
        assertThat(s.getList("points.count", Double.class)).containsOnly(0.0).hasSize(4);
        assertThat(s.getList("points.avgUs")).containsOnlyNulls();
        assertThat(s.getList("points.p95Us")).containsOnlyNulls();
    }
}
