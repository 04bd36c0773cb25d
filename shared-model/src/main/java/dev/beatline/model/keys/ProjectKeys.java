package dev.beatline.model.keys;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;

/** Reads and creates project keys (table {@code project_keys}); shared by the intake and the query service. */
public final class ProjectKeys {

    private static final String FIND_BY_SECRET_HASH = """
            SELECT k.id, k.project_id, p.slug, k.public_key, k.scopes
              FROM project_keys k JOIN projects p ON p.id = k.project_id
             WHERE k.secret_hash = ? AND k.revoked_at IS NULL""";

    private static final String FIND_BY_PUBLIC_KEY = """
            SELECT k.id, k.project_id, p.slug, k.public_key, k.scopes
              FROM project_keys k JOIN projects p ON p.id = k.project_id
             WHERE k.public_key = ? AND k.revoked_at IS NULL""";

    private static final String FIRST_INGEST_KEY = """
            SELECT k.public_key FROM project_keys k
             WHERE k.project_id = ? AND k.revoked_at IS NULL AND 'ingest' = ANY (k.scopes)
             ORDER BY k.id LIMIT 1""";

    private ProjectKeys() {
    }

    /** The unrevoked key whose secret has this hash, if any. */
    public static Optional<ProjectKey> findBySecretHash(Connection c, String secretHash) throws SQLException {
        return findOne(c, FIND_BY_SECRET_HASH, secretHash);
    }

    /** The unrevoked key with this public key (Sentry DSN key, ApiKey id), if any. */
    public static Optional<ProjectKey> findByPublicKey(Connection c, String publicKey) throws SQLException {
        return findOne(c, FIND_BY_PUBLIC_KEY, publicKey);
    }

    /** The DSN of the project's oldest unrevoked ingest key, for an intake at {@code intakeBaseUrl}. */
    public static Optional<Dsn> dsnOfProject(Connection c, long projectId, String intakeBaseUrl) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(FIRST_INGEST_KEY)) {
            ps.setLong(1, projectId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Dsn.forKey(intakeBaseUrl, rs.getString(1), projectId)) : Optional.empty();
            }
        }
    }

    private static Optional<ProjectKey> findOne(Connection c, String sql, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Array scopes = rs.getArray(5);
                return Optional.of(new ProjectKey(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        Set.of((String[]) scopes.getArray())));
            }
        }
    }

    /**
     * Stores a key for a secret chosen by the caller, unless a key with that secret exists already.
     *
     * @return true when the key was created
     */
    public static boolean createIfAbsent(Connection c, long projectId, String name, String secret, Set<String> scopes)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO project_keys (project_id, public_key, secret_hash, name, scopes)
                VALUES (?, ?, ?, ?, ?) ON CONFLICT (secret_hash) DO NOTHING""")) {
            ps.setLong(1, projectId);
            ps.setString(2, SecretHashing.newPublicKey());
            ps.setString(3, SecretHashing.sha256Hex(secret));
            ps.setString(4, name);
            ps.setArray(5, c.createArrayOf("text", scopes.toArray()));
            return ps.executeUpdate() == 1;
        }
    }
}
