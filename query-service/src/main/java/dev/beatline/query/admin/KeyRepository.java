package dev.beatline.query.admin;

import dev.beatline.model.keys.SecretHashing;
import dev.beatline.query.admin.AdminDtos.CreatedKey;
import dev.beatline.query.admin.AdminDtos.KeyView;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for table {@code project_keys}. Secrets are generated here and stored only as their hash. */
@ApplicationScoped
public class KeyRepository {

    private final AgroalDataSource dataSource;

    public KeyRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A new key with a fresh random secret; the DSN is left for the caller to fill in. */
    public CreatedKey create(long projectId, String name, List<String> scopes) throws SQLException {
        String secret = SecretHashing.newSecret();
        String publicKey = SecretHashing.newPublicKey();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO project_keys (project_id, public_key, secret_hash, name, scopes)
                        VALUES (?, ?, ?, ?, ?) RETURNING id, created_at""")) {
            ps.setLong(1, projectId);
            ps.setString(2, publicKey);
            ps.setString(3, SecretHashing.sha256Hex(secret));
            ps.setString(4, name);
            ps.setArray(5, c.createArrayOf("text", scopes.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new CreatedKey(rs.getLong(1), publicKey, secret, null, name, scopes,
                        rs.getTimestamp(2).toInstant());
            }
        }
    }

    /** The project's keys by id, revoked ones included, after {@code afterId}. */
    public List<KeyView> list(long projectId, long afterId, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        SELECT id, public_key, name, scopes, created_at, revoked_at FROM project_keys
                         WHERE project_id = ? AND id > ? ORDER BY id LIMIT ?""")) {
            ps.setLong(1, projectId);
            ps.setLong(2, afterId);
            ps.setInt(3, limit);
            List<KeyView> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        }
    }

    /** Marks the key revoked (keeps the first revocation time); empty when the project has no such key. */
    public Optional<KeyView> revoke(long projectId, long keyId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        UPDATE project_keys SET revoked_at = COALESCE(revoked_at, ?)
                         WHERE project_id = ? AND id = ?
                        RETURNING id, public_key, name, scopes, created_at, revoked_at""")) {
            ps.setTimestamp(1, Timestamp.from(Instant.now()));
            ps.setLong(2, projectId);
            ps.setLong(3, keyId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    private static KeyView row(ResultSet rs) throws SQLException {
        Array scopes = rs.getArray("scopes");
        Timestamp revoked = rs.getTimestamp("revoked_at");
        return new KeyView(rs.getLong("id"), rs.getString("public_key"), rs.getString("name"),
                List.of((String[]) scopes.getArray()), rs.getTimestamp("created_at").toInstant(),
                revoked == null ? null : revoked.toInstant());
    }
}
