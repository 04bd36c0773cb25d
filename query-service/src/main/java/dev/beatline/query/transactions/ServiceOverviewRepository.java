package dev.beatline.query.transactions;

import dev.beatline.query.api.TimeRange;
import dev.beatline.query.transactions.TransactionDtos.ServiceOverview;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The services overview. Transactions: the processor's {@code service_metrics_hourly} for the whole hours of the
 * range and {@code service_metrics} (per minute) for its edges, merged over transaction types, p95 from their
 * merged histograms. Errors: {@code service_error_counts_hourly} (V302) for whole hours, the occurrences
 * themselves at the edges. A missing service or environment ('') is answered as null.
 */
@ApplicationScoped
public class ServiceOverviewRepository {

    private static final String SQL = """
            SELECT NULLIF(service_name, ''), NULLIF(environment, ''), SUM(tc), SUM(fc), SUM(su), SUM(ec),
                   array_agg(histogram) FILTER (WHERE histogram IS NOT NULL) FROM (
                SELECT service_name, environment, count tc, failure_count fc, sum_us su, 0 ec, histogram
                  FROM service_metrics_hourly WHERE project_id = ? AND bucket >= ? AND bucket < ?
                UNION ALL
                SELECT service_name, environment, count, failure_count, sum_us, 0, histogram FROM service_metrics
                 WHERE project_id = ? AND ((bucket >= ? AND bucket < ?) OR (bucket >= ? AND bucket < ?))
                UNION ALL
                SELECT service_name, environment, 0, 0, 0, error_count, NULL FROM service_error_counts_hourly
                 WHERE project_id = ? AND hour >= ? AND hour < ?
                UNION ALL
                SELECT COALESCE(service_name, ''), COALESCE(environment, ''), 0, 0, 0, 1, NULL FROM error_events
                 WHERE project_id = ? AND ((occurred_at >= ? AND occurred_at < ?) OR (occurred_at >= ? AND occurred_at < ?))
            ) x GROUP BY 1, 2 ORDER BY 1, 2""";

    private final AgroalDataSource dataSource;
    private final MetricsRollup rollup;

    public ServiceOverviewRepository(AgroalDataSource dataSource, MetricsRollup rollup) {
        this.dataSource = dataSource;
        this.rollup = rollup;
    }

    public List<ServiceOverview> overview(long projectId, TimeRange range) throws SQLException {
        MetricsWindow w = rollup.window(range);
        // errors carry exact times: their edges are [from, first whole hour) and [end of whole hours, to)
        Instant errorsFirstEnd = w.hourFrom().isBefore(range.to()) ? w.hourFrom() : range.to();
        double minutes = Math.max(1, w.minutes());
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL)) {
            Object[] params = {projectId, w.hourFrom(), w.hourTo(),
                projectId, w.minuteFrom(), w.hourFrom(), w.hourTo(), w.minuteTo(),
                projectId, w.hourFrom(), w.hourTo(),
                projectId, range.from(), errorsFirstEnd, w.hourTo(), range.to()};
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i] instanceof Instant t ? Timestamp.from(t) : params[i]);
            }
            List<ServiceOverview> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs, minutes));
                }
            }
            return out;
        }
    }

    private static ServiceOverview row(ResultSet rs, double minutes) throws SQLException {
        double count = rs.getDouble(3);
        double failures = rs.getDouble(4);
        double sum = rs.getDouble(5);
        Latency latency = Latency.ofSqlArray(rs.getArray(7));
        return new ServiceOverview(rs.getString(1), rs.getString(2), count, count / minutes,
                count == 0 ? 0 : failures / count, count == 0 ? 0 : sum / count, latency.p95Us(), rs.getLong(6));
    }
}
