package dev.beatline.query.admin;

import dev.beatline.model.keys.ProjectKey;
import dev.beatline.model.keys.ProjectKeys;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.annotation.Priority;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * At start, makes sure the project {@code default} exists with an ingest key for {@code BEATLINE_BOOTSTRAP_TOKEN}
 * and an admin key for {@code BEATLINE_ADMIN_TOKEN} (each only when set). Idempotent; secrets are stored hashed.
 */
@ApplicationScoped
public class Bootstrap {

    public static final String DEFAULT_PROJECT = "default";
    private static final Logger LOG = Logger.getLogger(Bootstrap.class);

    private final AgroalDataSource dataSource;
    private final Optional<String> bootstrapToken;
    private final Optional<String> adminToken;

    public Bootstrap(AgroalDataSource dataSource,
            @ConfigProperty(name = "beatline.bootstrap-token") Optional<String> bootstrapToken,
            @ConfigProperty(name = "beatline.admin-token") Optional<String> adminToken) {
        this.dataSource = dataSource;
        this.bootstrapToken = bootstrapToken.filter(s -> !s.isBlank());
        this.adminToken = adminToken.filter(s -> !s.isBlank());
    }

    void onStart(@Observes @Priority(10) StartupEvent ev) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            long projectId = ensureProject(c, DEFAULT_PROJECT, "Default");
            if (bootstrapToken.isPresent()) {
                ProjectKeys.createIfAbsent(c, projectId, "bootstrap ingest key", bootstrapToken.get(),
                        Set.of(ProjectKey.SCOPE_INGEST));
            } else {
                LOG.warn("BEATLINE_BOOTSTRAP_TOKEN is not set: no bootstrap ingest key was created");
            }
            if (adminToken.isPresent()) {
                ProjectKeys.createIfAbsent(c, projectId, "bootstrap admin key", adminToken.get(),
                        Set.of(ProjectKey.SCOPE_ADMIN, ProjectKey.SCOPE_READ));
            } else {
                LOG.warn("BEATLINE_ADMIN_TOKEN is not set: no bootstrap admin key was created");
            }
            c.commit();
        }
    }

    static long ensureProject(Connection c, String slug, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO projects (slug, name) VALUES (?, ?)
                ON CONFLICT (slug) DO UPDATE SET slug = EXCLUDED.slug RETURNING id""")) {
            ps.setString(1, slug);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
