package dev.beatline.query.transactions;

import dev.beatline.query.api.TimeRange;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.Map;

/** Error occurrences ({@code error_events}) counted per service and environment, for the services overview. */
@ApplicationScoped
public class ServiceErrorRepository {

    /** A service in an environment; environment may be null for errors sent without one. */
    public record ServiceEnvironment(String service, String environment) {
    }

    private final AgroalDataSource dataSource;

    public ServiceErrorRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Map<ServiceEnvironment, Long> counts(long projectId, TimeRange range) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        SELECT service_name, environment, count(*) FROM error_events
                         WHERE project_id = ? AND occurred_at >= ? AND occurred_at < ?
                         GROUP BY service_name, environment""")) {
            ps.setLong(1, projectId);
            ps.setTimestamp(2, Timestamp.from(range.from()));
            ps.setTimestamp(3, Timestamp.from(range.to()));
            Map<ServiceEnvironment, Long> out = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(new ServiceEnvironment(rs.getString(1), rs.getString(2)), rs.getLong(3));
                }
            }
            return out;
        }
    }
}
