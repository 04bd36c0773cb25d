package dev.beatline.query.transactions;

import dev.beatline.query.transactions.TransactionDtos.Dependency;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A service's outgoing calls over a range from the processor's {@code dependency_metrics} (per minute) and
 * {@code dependency_metrics_hourly} (exit spans and dropped-span statistics), one entry per destination, ordered by
 * impact (total time spent).
 */
@ApplicationScoped
public class DependencyRepository {

    private static final String COLUMNS = """
            resource, span_type, span_subtype, target_type, target_name, count, failure_count, sum_us, histogram""";

    private final AgroalDataSource dataSource;

    public DependencyRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Destinations called by {@code service} (in {@code environment} when not null), at most {@code limit}. */
    public List<Dependency> dependencies(long projectId, String service, String environment, MetricsWindow window,
            int limit) throws SQLException {
        List<Object> filterParams = new ArrayList<>();
        String filterSql = " AND service_name = ?";
        filterParams.add(service);
        if (environment != null) {
            filterSql += " AND environment = ?";
            filterParams.add(environment);
        }
        List<Object> params = new ArrayList<>();
        String sql = "SELECT resource, span_type, span_subtype, target_type, target_name, SUM(count), SUM(failure_count), "
                + "SUM(sum_us), array_agg(histogram) FROM ("
                + window.rowsSql("dependency_metrics", COLUMNS, projectId, filterSql, filterParams, params)
                + ") d GROUP BY 1, 2, 3, 4, 5 ORDER BY SUM(sum_us) DESC, 1, 2, 3, 4, 5 LIMIT ?";
        params.add(limit);
        double minutes = Math.max(1, window.minutes());
        List<Dependency> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = TransactionMetricsRepository.prepare(c, sql, params);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                double count = rs.getDouble(6);
                double failures = rs.getDouble(7);
                double sum = rs.getDouble(8);
                Latency latency = Latency.ofSqlArray(rs.getArray(9));
                out.add(new Dependency(emptyToNull(rs.getString(1)), emptyToNull(rs.getString(2)),
                        emptyToNull(rs.getString(3)), emptyToNull(rs.getString(4)), emptyToNull(rs.getString(5)), count,
                        count / minutes, count == 0 ? 0 : failures / count, count == 0 ? 0 : sum / count,
                        latency.p50Us(), latency.p95Us(), latency.p99Us(), sum));
            }
        }
        return out;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
