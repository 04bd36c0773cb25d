package dev.beatline.query;

import dev.beatline.metricsmodel.DurationHistogram;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Writes metric rows the way the processor's HistogramMetricsStore leaves them (V200): each transaction goes into
 * its group's minute and hour rows and its service's minute and hour rows, adding counts and merging histograms,
 * with partitions named as the processor names them ({@code <table>_pYYYYMMDD} per day, {@code _pYYYYMM} per month).
 */
public final class MetricsFixture {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyyMM").withZone(ZoneOffset.UTC);

    private MetricsFixture() {
    }

    /** Adds transactions of one group in one minute: one per duration, the first {@code failures} of them failed. */
    public static void addTransactions(DataSource ds, long projectId, Instant minute, String service, String environment,
            String name, int failures, long... durationsUs) throws SQLException {
        Measures m = Measures.of(failures, durationsUs);
        Instant hour = minute.truncatedTo(ChronoUnit.HOURS);
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            List<String> txDims = List.of("service_name", "environment", "transaction_type", "transaction_name", "result",
                    "outcome");
            List<Object> txValues = List.of(service, environment, "request", name, "HTTP 2xx", "success");
            List<String> svcDims = List.of("service_name", "environment", "transaction_type");
            List<Object> svcValues = List.of(service, environment, "request");
            add(c, "transaction_metrics", projectId, minute, txDims, txValues, m);
            add(c, "transaction_metrics_hourly", projectId, hour, txDims, txValues, m);
            add(c, "service_metrics", projectId, minute, svcDims, svcValues, m);
            add(c, "service_metrics_hourly", projectId, hour, svcDims, svcValues, m);
            c.commit();
        }
    }

    /** Adds calls of one service to one destination in one minute (minute and hour rows). */
    public static void addDependencyCalls(DataSource ds, long projectId, Instant minute, String service,
            String environment, String spanType, String spanSubtype, String resource, int failures, long... durationsUs)
            throws SQLException {
        Measures m = Measures.of(failures, durationsUs);
        List<String> dims = List.of("service_name", "environment", "span_type", "span_subtype", "resource", "target_type",
                "target_name");
        List<Object> values = List.of(service, environment, spanType, spanSubtype, resource, spanSubtype, "");
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            add(c, "dependency_metrics", projectId, minute, dims, values, m);
            add(c, "dependency_metrics_hourly", projectId, minute.truncatedTo(ChronoUnit.HOURS), dims, values, m);
            c.commit();
        }
    }

    private record Measures(double count, double successes, double failures, double sumUs, long minUs, long maxUs,
            DurationHistogram histogram) {

        static Measures of(int failures, long... durationsUs) {
            DurationHistogram h = new DurationHistogram();
            double sum = 0;
            long min = Long.MAX_VALUE;
            long max = 0;
            for (long d : durationsUs) {
                h.record(d, 1);
                sum += d;
                min = Math.min(min, d);
                max = Math.max(max, d);
            }
            double count = durationsUs.length;
            return new Measures(count, count - failures, failures, sum, min, max, h);
        }
    }

    private static void add(Connection c, String table, long projectId, Instant bucket, List<String> dims,
            List<Object> values, Measures m) throws SQLException {
        ensurePartition(c, table, bucket);
        String where = String.join(" = ? AND ", dims) + " = ?";
        DurationHistogram merged = new DurationHistogram();
        merged.add(m.histogram());
        try (PreparedStatement ps = c.prepareStatement("SELECT histogram FROM " + table + " WHERE project_id = ? AND bucket = ? AND "
                + where + " FOR UPDATE")) {
            bind(ps, projectId, bucket, values);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    merged.add(DurationHistogram.decode(rs.getBytes(1)));
                }
            }
        }
        List<String> qs = new ArrayList<>();
        dims.forEach(d -> qs.add("?"));
        String sql = "INSERT INTO " + table + " AS t (project_id, bucket, " + String.join(", ", dims)
                + ", count, success_count, failure_count, sum_us, min_us, max_us, histogram) VALUES (?, ?, "
                + String.join(", ", qs) + ", ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (project_id, " + String.join(", ", dims)
                + ", bucket) DO UPDATE SET count = t.count + EXCLUDED.count, success_count = t.success_count + "
                + "EXCLUDED.success_count, failure_count = t.failure_count + EXCLUDED.failure_count, sum_us = t.sum_us + "
                + "EXCLUDED.sum_us, min_us = LEAST(t.min_us, EXCLUDED.min_us), max_us = GREATEST(t.max_us, EXCLUDED.max_us), "
                + "histogram = EXCLUDED.histogram";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = bind(ps, projectId, bucket, values);
            ps.setDouble(i++, m.count());
            ps.setDouble(i++, m.successes());
            ps.setDouble(i++, m.failures());
            ps.setDouble(i++, m.sumUs());
            ps.setLong(i++, m.minUs());
            ps.setLong(i++, m.maxUs());
            ps.setBytes(i, merged.encode());
            ps.executeUpdate();
        }
    }

    private static int bind(PreparedStatement ps, long projectId, Instant bucket, List<Object> values) throws SQLException {
        int i = 1;
        ps.setLong(i++, projectId);
        ps.setTimestamp(i++, Timestamp.from(bucket));
        for (Object v : values) {
            ps.setObject(i++, v);
        }
        return i;
    }

    /** Creates the partition holding {@code t}: daily for minute tables, monthly for {@code _hourly} ones. */
    public static void ensurePartition(Connection c, String table, Instant t) throws SQLException {
        boolean monthly = table.endsWith("_hourly");
        Instant start;
        Instant end;
        String suffix;
        if (monthly) {
            var d = t.atZone(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1);
            start = d.atStartOfDay(ZoneOffset.UTC).toInstant();
            end = d.plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            suffix = MONTH.format(start);
        } else {
            start = t.truncatedTo(ChronoUnit.DAYS);
            end = start.plus(1, ChronoUnit.DAYS);
            suffix = DAY.format(start);
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + table + "_p" + suffix + " PARTITION OF " + table
                    + " FOR VALUES FROM ('" + start + "') TO ('" + end + "')");
        }
    }
}
