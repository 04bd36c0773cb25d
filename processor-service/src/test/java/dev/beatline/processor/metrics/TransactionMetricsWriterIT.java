package dev.beatline.processor.metrics;

import static dev.beatline.processor.metrics.MetricsDatabase.transaction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.beatline.metricsmodel.DurationHistogram;
import dev.beatline.metricsmodel.LatencyPercentiles;
import dev.beatline.model.DroppedSpanStats;
import dev.beatline.model.SpanEvent;
import dev.beatline.model.TraceContext;
import dev.beatline.model.TransactionEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The metric handlers against a real, migrated PostgreSQL, committing batches like the consumer loop. */
class TransactionMetricsWriterIT {

    private static MetricsDatabase db;
    private static long nextProject = 1;

    private final long project = nextProject++;
    private final Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(3, ChronoUnit.MINUTES);

    @BeforeAll
    static void migrate() {
        db = MetricsDatabase.migrated();
    }

    @Test
    void percentilesReadBackFromPostgresMatchExactPercentilesOfHundredThousandDurations() throws Exception {
        TransactionMetricsWriter writer = MetricsDatabase.traces(5).transactions();
        Random random = new Random(42);
        long[] durations = new long[100_000];
        List<TransactionEvent> batch = new ArrayList<>();
        for (int i = 0; i < durations.length; i++) {
            // log-normal around 20 ms with a long tail, spread over three minutes
            durations[i] = Math.max(1, (long) Math.exp(Math.log(20_000) + random.nextGaussian()));
            batch.add(transaction(project, minute.plusSeconds(i % 180), "GET /items", "success", durations[i], 1));
            if (batch.size() == 1_000) {
                db.applyCommitted(writer, batch);
                batch.clear();
            }
        }
        Arrays.sort(durations);
        db.rollUpHours(Instant.now().plus(2, ChronoUnit.HOURS));

        for (String table : List.of("transaction_metrics", "transaction_metrics_hourly")) {
            LatencyPercentiles read = new LatencyPercentiles();
            double count = 0;
            try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                    "SELECT histogram, count FROM " + table + " WHERE project_id = ?")) {
                ps.setLong(1, project);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        read.addEncoded(rs.getBytes(1));
                        count += rs.getDouble(2);
                    }
                }
            }
            assertThat(count).as(table).isEqualTo(100_000);
            assertThat(read.count()).as(table).isEqualTo(100_000);
            for (double q : new double[] {50, 95, 99}) {
                long exact = durations[(int) Math.ceil(q / 100 * durations.length) - 1];
                // 2 significant digits: the reported value is the bucket's highest equivalent value, < 1% above
                assertThat((double) read.percentileUs(q)).as("%s p%s", table, q)
                        .isBetween((double) exact, exact * 1.01);
            }
        }
    }

    @Test
    void fiveOneSecondTransactionsReproduceApmServersWorkedExample() throws Exception {
        List<TransactionEvent> five = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            five.add(transaction(project, minute.plusSeconds(i), "abc", "success", 1_000_000, 1));
        }
        db.applyCommitted(MetricsDatabase.traces(5).transactions(), five);

        Row row = row("transaction_metrics", "transaction_name = 'abc'");
        DurationHistogram.Buckets b = DurationHistogram.decode(row.histogram).buckets();
        assertThat(b.values()).containsExactly(1003519L);
        assertThat(b.counts()).containsExactly(5L);
        assertThat(b.sum()).isEqualTo(5017595);
        assertThat(b.valueCount()).isEqualTo(5);
        assertThat(row.count).isEqualTo(5);
        assertThat(row.successCount).isEqualTo(5);
        assertThat(row.sumUs).isEqualTo(5_000_000);
        Row service = row("service_metrics", "transaction_type = 'request'");
        assertThat(service.count).isEqualTo(5);
    }

    @Test
    void redeliveredBatchDoesNotDoubleCountAndLaterBatchesMergeIntoTheBucket() throws Exception {
        MetricsDatabase.Traces traces = MetricsDatabase.traces(5);
        TransactionMetricsWriter writer = traces.transactions();
        List<TransactionEvent> batch = List.of(
                transaction(project, minute, "POST /pay", "success", 10_000, 1),
                transaction(project, minute.plusSeconds(5), "POST /pay", "failure", 50_000, 1));
        // the first delivery's transaction fails before its commit
        db.applyRolledBack(writer, batch, traces.sampler().hold());
        db.applyCommitted(writer, batch, traces.sampler().hold()); // redelivered
        db.applyCommitted(writer, List.of(transaction(project, minute.plusSeconds(30), "POST /pay", "success", 30_000, 1),
                transaction(project, minute.minus(2, ChronoUnit.HOURS), "POST /pay", "success", 70_000, 1))); // one late

        Row success = row("transaction_metrics", "outcome = 'success' AND bucket = '" + minute + "'");
        assertThat(success.count).isEqualTo(2);
        assertThat(success.minUs).isEqualTo(10_000);
        assertThat(success.maxUs).isEqualTo(30_000);
        assertThat(DurationHistogram.decode(success.histogram).count()).isEqualTo(2);
        Row service = row("service_metrics", "bucket = '" + minute + "'");
        assertThat(service.count).isEqualTo(3);
        assertThat(service.failureCount).isEqualTo(1);
        assertThat(service.successCount).isEqualTo(2);
        Row late = row("transaction_metrics", "bucket = '" + minute.minus(2, ChronoUnit.HOURS) + "'");
        assertThat(late.count).isEqualTo(1);
        db.rollUpHours(Instant.now().plus(2, ChronoUnit.HOURS));
        Row hour = row("service_metrics_hourly", "bucket = '" + minute.truncatedTo(ChronoUnit.HOURS) + "'");
        assertThat(hour.count).isEqualTo(3);
    }

    @Test
    void representativeCountsStayExactAndUnsampledTransactionsCount() throws Exception {
        List<TransactionEvent> batch = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            batch.add(transaction(project, minute, "GET /sampled", "success", 5_000 + i, 1 / 0.3));
        }
        TransactionEvent t = transaction(project, minute, "GET /sampled", "success", 7_000, 1);
        batch.add(new TransactionEvent(t.header(), t.trace(), t.id(), t.name(), t.type(), t.result(), t.outcome(),
                t.durationUs(), false, 1, 0, 0, 200, null, List.of(), null)); // unsampled: counts
        batch.add(transaction(project, minute, "GET /sampled", "success", 9_000, 0)); // sample rate 0: does not
        TransactionMetricsWriter writer = MetricsDatabase.traces(5).transactions();
        db.applyCommitted(writer, batch.subList(0, 10));
        db.applyCommitted(writer, batch.subList(10, batch.size()));

        Row row = row("transaction_metrics", "transaction_name = 'GET /sampled'");
        assertThat(row.count).isCloseTo(101, within(1e-9));
        DurationHistogram h = DurationHistogram.decode(row.histogram);
        assertThat(h.buckets().valueCount()).isEqualTo(101);
        assertThat(row.maxUs).isEqualTo(7_000);
    }

    @Test
    void droppedSpansStatsAndCompositeSpansCountAsTheirCounts() throws Exception {
        TransactionEvent t = transaction(project, minute, "GET /search", "success", 100_000, 1);
        // apm-server systemtest TestTransactionDroppedSpansStatsMetrics: elasticsearch 4 calls 3600 µs, redis 50 calls 5000 µs
        db.applyCommitted(MetricsDatabase.traces(5).transactions(), List.of(new TransactionEvent(t.header(), t.trace(), t.id(),
                t.name(), t.type(), t.result(), t.outcome(), t.durationUs(), true, 1, 60, 54, 200, null, List.of(
                        new DroppedSpanStats("elasticsearch", "elasticsearch", null, "success", 4, 3_600),
                        new DroppedSpanStats("redis", "redis", null, "success", 50, 5_000)), null)));
        SpanEvent composite = new SpanEvent(MetricsDatabase.header(project, "checkout", minute),
                new TraceContext("t1", t.id(), t.id()), "s1", "SELECT FROM items", "db", "postgresql", "query",
                "failure", 9_000, 0L, 2, "postgresql", "postgresql", "shop", 5, 8_000, null);
        SpanEvent plain = new SpanEvent(MetricsDatabase.header(project, "checkout", minute),
                new TraceContext("t1", t.id(), t.id()), "s2", "SELECT FROM items", "db", "postgresql", "query",
                "success", 1_000, 0L, 1, "postgresql", "postgresql", "shop", 1, 0, null);
        SpanEvent internal = new SpanEvent(MetricsDatabase.header(project, "checkout", minute),
                new TraceContext("t1", t.id(), t.id()), "s3", "render", "template", null, null,
                "success", 1_000, 0L, 1, null, null, null, 1, 0, null);
        db.applyCommitted(MetricsDatabase.traces(5).spans(), List.of(composite, plain, internal));

        Row es = row("dependency_metrics", "resource = 'elasticsearch'");
        assertThat(es.count).isEqualTo(4);
        assertThat(es.sumUs).isEqualTo(3_600);
        Row redis = row("dependency_metrics", "resource = 'redis'");
        assertThat(redis.count).isEqualTo(50);
        assertThat(redis.sumUs).isEqualTo(5_000);
        Row pg = row("dependency_metrics", "resource = 'postgresql'");
        assertThat(pg.count).isEqualTo(5 * 2 + 1); // composite of 5 at representative count 2, plus one plain span
        assertThat(pg.sumUs).isEqualTo(8_000 * 2 + 1_000);
        assertThat(pg.failureCount).isEqualTo(10);
        assertThat(DurationHistogram.decode(pg.histogram).count()).isEqualTo(11);
        assertThat(count("dependency_metrics", "span_type = 'template'")).isZero();
    }

    private record Row(double count, double successCount, double failureCount, double sumUs, long minUs, long maxUs,
            byte[] histogram) {
    }

    private Row row(String table, String where) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT count, success_count, failure_count, sum_us, min_us, max_us, histogram FROM " + table
                        + " WHERE project_id = ? AND " + where)) {
            ps.setLong(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("a row of %s where %s", table, where).isTrue();
                Row r = new Row(rs.getDouble(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4), rs.getLong(5),
                        rs.getLong(6), rs.getBytes(7));
                assertThat(rs.next()).as("only one row of %s where %s", table, where).isFalse();
                return r;
            }
        }
    }

    private long count(String table, String where) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM " + table + " WHERE project_id = ? AND " + where)) {
            ps.setLong(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
