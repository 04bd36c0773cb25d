package dev.beatline.processor.metrics;

import static dev.beatline.processor.metrics.MetricsDatabase.transaction;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beatline.metricsmodel.DurationHistogram;
import dev.beatline.model.TransactionEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Hour rows built from closed minutes (V630): batches write minutes only until their hour is rolled up, the
 * rollup merges the minutes exactly, late events write through, and a batch in flight is never missed.
 */
class HourRollupIT {

    private final MetricsDatabase db = MetricsDatabase.migrated(); // a database per test: its own watermark

    @Test
    void closedHoursAreRolledUpExactlyAndLaterEventsWriteThrough() throws Exception {
        Instant w = watermark();
        Instant hour = w; // the first hour not rolled up yet
        TransactionMetricsWriter writer = MetricsDatabase.traces(5).transactions();
        List<TransactionEvent> events = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            events.add(transaction(1, hour.plus(i % 60, ChronoUnit.MINUTES).plusSeconds(i % 7), "GET /a", "success",
                    1_000 + i * 37L, 1));
        }
        Instant before = hour.minus(30, ChronoUnit.MINUTES); // an hour already rolled up: written through
        events.add(transaction(1, before, "GET /a", "success", 5_000, 1));
        db.applyCommitted(writer, events);

        assertThat(count("transaction_metrics_hourly", hour)).as("not rolled up yet").isZero();
        assertThat(count("transaction_metrics_hourly", before.truncatedTo(ChronoUnit.HOURS))).isEqualTo(1);

        RollupCounts beforeRollup = minutes(hour);
        assertThat(db.rollUpHours(hour.plus(Duration.ofMinutes(59)))).as("the hour has not ended").isZero();
        assertThat(db.rollUpHours(hour.plus(Duration.ofMinutes(61)))).isEqualTo(1);
        assertThat(watermark()).isEqualTo(hour.plus(1, ChronoUnit.HOURS));
        assertThat(hourRow(hour)).isEqualTo(beforeRollup);
        assertThat(beforeRollup.count).isEqualTo(600);

        // a late event of the rolled-up hour goes to its minute and its hour in one transaction
        db.applyCommitted(writer, List.of(transaction(1, hour.plusSeconds(90), "GET /a", "success", 2_000, 1)));
        assertThat(hourRow(hour)).isEqualTo(minutes(hour));
        assertThat(hourRow(hour).count).isEqualTo(601);
        assertThat(db.rollUpHours(hour.plus(Duration.ofMinutes(61)))).as("nothing left").isZero();
    }

    @Test
    void aRollupWaitsForABatchInFlightAndCountsIt() throws Exception {
        Instant hour = watermark();
        TransactionMetricsWriter writer = MetricsDatabase.traces(5).transactions();
        try (Connection batch = db.connect()) {
            batch.setAutoCommit(false);
            writer.applyConsumed(batch, MetricsDatabase.consumed(writer.topic(),
                    List.of(transaction(1, hour.plusSeconds(10), "GET /b", "success", 3_000, 1))));
            // the batch holds the rollup lock in shared mode: the rollup must wait for its commit
            CompletableFuture<Integer> rollup = CompletableFuture.supplyAsync(() -> {
                try {
                    return db.rollUpHours(hour.plus(Duration.ofMinutes(61)));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(500);
            assertThat(rollup).as("blocked behind the batch").isNotDone();
            batch.commit();
            assertThat(rollup.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        }
        assertThat(hourRow(hour).count).isEqualTo(1);
    }

    private record RollupCounts(double count, double sumUs, long minUs, long maxUs, long histogramCount) {
    }

    private RollupCounts minutes(Instant hour) throws Exception {
        return query("SELECT sum(count), sum(sum_us), min(min_us), max(max_us), array_agg(histogram) FROM "
                + "transaction_metrics WHERE bucket >= ? AND bucket < ?", hour, hour.plus(1, ChronoUnit.HOURS));
    }

    private RollupCounts hourRow(Instant hour) throws Exception {
        return query("SELECT sum(count), sum(sum_us), min(min_us), max(max_us), array_agg(histogram) FROM "
                + "transaction_metrics_hourly WHERE bucket >= ? AND bucket < ?", hour, hour.plus(1, ChronoUnit.HOURS));
    }

    private RollupCounts query(String sql, Instant from, Instant to) throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, from.atOffset(java.time.ZoneOffset.UTC));
            ps.setObject(2, to.atOffset(java.time.ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long histogramCount = 0;
                if (rs.getArray(5) != null) {
                    for (Object h : (Object[]) rs.getArray(5).getArray()) {
                        histogramCount += DurationHistogram.decode((byte[]) h).count();
                    }
                }
                return new RollupCounts(rs.getDouble(1), rs.getDouble(2), rs.getLong(3), rs.getLong(4), histogramCount);
            }
        }
    }

    private long count(String table, Instant hour) throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM " + table + " WHERE bucket = ?")) {
            ps.setObject(1, hour.atOffset(java.time.ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private Instant watermark() throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT rolled_through FROM metrics_rollup")) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class).toInstant();
        }
    }
}
