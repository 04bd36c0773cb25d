package dev.beatline.intake;

import dev.beatline.model.keys.ProjectKeys;
import dev.beatline.model.keys.SecretHashing;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/** Seeds projects and keys in the test database, as the admin API would. */
public final class IntakeTestSupport {

    /** A project with one key: what a test sends with. */
    public record SeededProject(long id, String slug, String secret) {
    }

    private IntakeTestSupport() {
    }

    /** The public key (Sentry DSN key) of the project's first key. */
    public static String publicKey(DataSource ds, long projectId) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT public_key FROM project_keys WHERE project_id = ? ORDER BY id LIMIT 1")) {
            ps.setLong(1, projectId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    public static SeededProject project(DataSource ds, String... scopes) throws SQLException {
        String slug = "it-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = SecretHashing.newSecret();
        try (Connection c = ds.getConnection()) {
            long id;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO projects (slug, name) VALUES (?, ?) RETURNING id")) {
                ps.setString(1, slug);
                ps.setString(2, slug);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            ProjectKeys.createIfAbsent(c, id, "test key", secret, Set.of(scopes.length == 0 ? new String[] {"ingest"} : scopes));
            return new SeededProject(id, slug, secret);
        }
    }
}
