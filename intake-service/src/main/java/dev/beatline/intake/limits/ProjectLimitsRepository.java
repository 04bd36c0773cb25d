package dev.beatline.intake.limits;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** Reads a project's own ingest rate ({@code projects.rate_limit_eps}, {@code rate_limit_burst}). */
@ApplicationScoped
public class ProjectLimitsRepository {

    private final AgroalDataSource dataSource;

    public ProjectLimitsRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * @param defaults the rate used when only the burst is set (a burst left NULL is twice the rate)
     * @return empty when the project has neither column set (or does not exist)
     */
    public Optional<RateLimit> find(long projectId, RateLimit defaults) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT rate_limit_eps, rate_limit_burst FROM projects WHERE id = ?")) {
            ps.setLong(1, projectId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                int eps = rs.getInt(1);
                boolean epsSet = !rs.wasNull() && eps > 0;
                int burst = rs.getInt(2);
                boolean burstSet = !rs.wasNull() && burst > 0;
                if (!epsSet && !burstSet) {
                    return Optional.empty();
                }
                int rate = epsSet ? eps : defaults.eventsPerSecond();
                return Optional.of(new RateLimit(rate, burstSet ? burst : 2 * rate));
            }
        }
    }
}
