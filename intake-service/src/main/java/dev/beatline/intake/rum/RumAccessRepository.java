package dev.beatline.intake.rum;

import dev.beatline.intake.limits.RateLimit;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;

/** Reads anonymous RUM settings by their public key. */
@ApplicationScoped
public class RumAccessRepository {

    private final AgroalDataSource dataSource;

    public RumAccessRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<RumAccess> findByPublicKey(String publicKey) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        SELECT r.project_id, p.slug, r.allowed_origins, r.allowed_agents,
                               r.ip_rate_limit_eps, r.ip_rate_limit_burst
                          FROM project_rum_access r JOIN projects p ON p.id = r.project_id
                         WHERE r.public_key = ? AND r.enabled""")) {
            ps.setString(1, publicKey);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                int eps = rs.getInt(5);
                boolean epsSet = !rs.wasNull() && eps > 0;
                int burst = rs.getInt(6);
                boolean burstSet = !rs.wasNull() && burst > 0;
                RateLimit ipLimit = epsSet ? new RateLimit(eps, burstSet ? burst : 3 * eps) : null;
                return Optional.of(new RumAccess(rs.getLong(1), rs.getString(2), publicKey,
                        Set.of((String[]) rs.getArray(3).getArray()), Set.of((String[]) rs.getArray(4).getArray()),
                        ipLimit));
            }
        }
    }
}
