package dev.beatline.query.transactions;

import dev.beatline.query.api.Buckets;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * SQL over {@code transaction_metrics} (per minute) and {@code transaction_metrics_hourly} (per hour), both
 * written by the processor with duration histograms (V200): whole hours of a range come from the hour table,
 * the minute edges from the minute table (see {@link MetricsWindow}). Percentiles merge the rows' histograms.
 */
@ApplicationScoped
public class TransactionMetricsRepository {

    /** Which transaction groups to read; null = any. */
    public record GroupFilter(String service, String environment, String type, String name) {
    }

    /** Sums of a set of metric rows and the percentiles of their merged histograms. */
    public record Totals(double count, double failureCount, double sumUs, Latency latency) {

        static final Totals EMPTY = new Totals(0, 0, 0, Latency.NONE);
    }

    private static final String METRIC_COLUMNS = """
            service_name, environment, transaction_type, transaction_name, count, failure_count, sum_us, min_us, max_us,
            histogram""";

    private final AgroalDataSource dataSource;

    public TransactionMetricsRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Transaction groups over the window in {@code sort} order, at most {@code limit}. */
    public List<TransactionGroup> groups(long projectId, GroupFilter filter, MetricsWindow window, TransactionSort sort,
            int limit) throws SQLException {
        List<Object> params = new ArrayList<>();
        String sql = "SELECT service_name, environment, transaction_type, transaction_name, SUM(count), "
                + "SUM(failure_count), SUM(sum_us), MIN(min_us), MAX(max_us), array_agg(histogram) FROM ("
                + source(projectId, filter, window, params)
                + ") m GROUP BY service_name, environment, transaction_type, transaction_name";
        if (sort.inSql()) {
            sql += " ORDER BY " + sort.orderBy + ", service_name, environment, transaction_type, transaction_name LIMIT ?";
            params.add(limit);
        }
        double minutes = Math.max(1, window.minutes());
        List<TransactionGroup> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, params);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(group(rs, minutes));
            }
        }
        if (!sort.inSql()) {
            out.sort(TransactionSort.BY_P95);
            return List.copyOf(out.subList(0, Math.min(limit, out.size())));
        }
        return out;
    }

    /**
     * Totals and percentiles per bucket start of the groups matching {@code filter}. Hour-aligned buckets read the
     * hour table for hours before {@code rolledThrough} ({@link MetricsRollup}) and the minute table for the rest;
     * other buckets read the minute table. Buckets without data are absent.
     */
    public Map<Instant, Totals> series(long projectId, GroupFilter filter, Buckets buckets, Instant rolledThrough)
            throws SQLException {
        Instant hoursTo = !buckets.hourAligned() ? buckets.from()
                : rolledThrough.isBefore(buckets.from()) ? buckets.from()
                : rolledThrough.isAfter(buckets.to()) ? buckets.to() : rolledThrough;
        List<Object> params = new ArrayList<>();
        params.add(buckets.interval().toSeconds());
        params.add(Timestamp.from(buckets.from()));
        List<Object> filterParams = new ArrayList<>();
        String filterSql = filters(filter, filterParams);
        params.add(projectId);
        params.add(Timestamp.from(buckets.from()));
        params.add(Timestamp.from(hoursTo));
        params.addAll(filterParams);
        params.add(projectId);
        params.add(Timestamp.from(hoursTo));
        params.add(Timestamp.from(buckets.to()));
        params.addAll(filterParams);
        String columns = "bucket, count, failure_count, sum_us, histogram";
        String sql = "SELECT date_bin(make_interval(secs => ?), bucket, ?::timestamptz) AS b, SUM(count), "
                + "SUM(failure_count), SUM(sum_us), array_agg(histogram) FROM (SELECT " + columns
                + " FROM transaction_metrics_hourly WHERE project_id = ? AND bucket >= ? AND bucket < ?" + filterSql
                + " UNION ALL SELECT " + columns + " FROM transaction_metrics WHERE project_id = ? AND bucket >= ? "
                + "AND bucket < ?" + filterSql + ") rows GROUP BY b";
        Map<Instant, Totals> out = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, params);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getTimestamp(1).toInstant(), new Totals(rs.getDouble(2), rs.getDouble(3), rs.getDouble(4),
                        Latency.ofSqlArray(rs.getArray(5))));
            }
        }
        return out;
    }

    /** Hour rows for the window's whole hours, UNION ALL minute rows for its edges; appends the parameters. */
    private static String source(long projectId, GroupFilter filter, MetricsWindow w, List<Object> params) {
        List<Object> filterParams = new ArrayList<>();
        String filterSql = filters(filter, filterParams);
        return w.rowsSql("transaction_metrics", METRIC_COLUMNS, projectId, filterSql, filterParams, params);
    }

    private static String filters(GroupFilter f, List<Object> params) {
        StringBuilder sql = new StringBuilder();
        if (f.service() != null) {
            sql.append(" AND service_name = ?");
            params.add(f.service());
        }
        if (f.environment() != null) {
            sql.append(" AND environment = ?");
            params.add(f.environment());
        }
        if (f.type() != null) {
            sql.append(" AND transaction_type = ?");
            params.add(f.type());
        }
        if (f.name() != null) {
            sql.append(" AND transaction_name = ?");
            params.add(f.name());
        }
        return sql.toString();
    }

    static PreparedStatement prepare(Connection c, String sql, List<Object> params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
        }
        return ps;
    }

    private static TransactionGroup group(ResultSet rs, double minutes) throws SQLException {
        double count = rs.getDouble(5);
        double failures = rs.getDouble(6);
        double sum = rs.getDouble(7);
        Latency latency = Latency.ofSqlArray(rs.getArray(10));
        return new TransactionGroup(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), count, failures,
                count == 0 ? 0 : failures / count, count == 0 ? 0 : sum / count, rs.getLong(8), rs.getLong(9),
                latency.p50Us(), latency.p95Us(), latency.p99Us(), count / minutes, sum);
    }
}
