package dev.beatline.bench;

import dev.beatline.model.keys.ProjectKeys;
import dev.beatline.model.keys.SecretHashing;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
import java.util.UUID;
import org.flywaydb.core.Flyway;

/** Prepares the intake's database for a benchmark: migrates the schema and creates a project with an ingest key. */
final class BenchProject {

    private BenchProject() {
    }

    /** @return the new key's secret, for {@code Authorization: Bearer} */
    static String seed(String jdbcUrl, String user, String password) throws SQLException {
        Flyway.configure().dataSource(jdbcUrl, user, password).locations("classpath:db/migration").load().migrate();
        String slug = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = SecretHashing.newSecret();
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
                PreparedStatement ps = c.prepareStatement("INSERT INTO projects (slug, name) VALUES (?, ?) RETURNING id")) {
            ps.setString(1, slug);
            ps.setString(2, slug);
            long id;
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
            ProjectKeys.createIfAbsent(c, id, "bench key", secret, Set.of("ingest"));
        }
        return secret;
    }
}
