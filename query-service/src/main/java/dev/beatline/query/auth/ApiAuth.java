package dev.beatline.query.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.beatline.model.keys.ProjectKey;
import dev.beatline.model.keys.ProjectKeys;
import dev.beatline.model.keys.SecretHashing;
import dev.beatline.query.api.ApiProblem;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * Authorizes query API calls: {@code Authorization: Bearer <secret>} of a read- or write-scoped key of the
 * project, or of an admin key. Ingest-only keys cannot read; read keys cannot change issues; only admin keys
 * administer. Keys are cached for 10 s
 * ({@link #forgetKeys()} drops the cache of this instance at once, e.g. after a revocation).
 */
@ApplicationScoped
public class ApiAuth {

    /** A project as the API addresses it. */
    public record Project(long id, String slug) {
    }

    /** A project and who writes to it ({@code key:<id>}, recorded as the actor of issue activity). */
    public record Writer(Project project, String actor) {
    }

    private final AgroalDataSource dataSource;
    private final Cache<String, Optional<ProjectKey>> cache = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterWrite(Duration.ofSeconds(10)).build();

    public ApiAuth(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The key behind the header; 401 when missing or unknown. */
    public ProjectKey authenticate(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ") || authorization.length() <= 7) {
            throw new ApiProblem(401, "Unauthorized", "expected 'Authorization: Bearer <key>'");
        }
        String hash = SecretHashing.sha256Hex(authorization.substring(7).trim());
        Optional<ProjectKey> key = cache.get(hash, h -> {
            try (Connection c = dataSource.getConnection()) {
                return ProjectKeys.findBySecretHash(c, h);
            } catch (SQLException e) {
                throw new ApiProblem(503, "Service Unavailable", "the key store cannot be reached");
            }
        });
        return key.orElseThrow(() -> new ApiProblem(401, "Unauthorized", "unknown or revoked key"));
    }

    /** The key behind the header if it is an admin key: 401 when missing or unknown, 403 otherwise. */
    public ProjectKey admin(String authorization) {
        ProjectKey key = authenticate(authorization);
        if (!key.isAdmin()) {
            throw new ApiProblem(403, "Forbidden", "this call needs an admin key");
        }
        return key;
    }

    /** Forgets every cached key, so a revoked key is refused by this instance at once. */
    public void forgetKeys() {
        cache.invalidateAll();
    }

    /** Resolves {@code project} (slug or numeric id) and checks that the key may read it (401/403/404). */
    public Project readableProject(String authorization, String project) {
        ProjectKey key = authenticate(authorization);
        Project p = findProject(project).orElseThrow(() -> ApiProblem.notFound("no project '" + project + "'"));
        if (!key.canRead(p.id())) {
            throw new ApiProblem(403, "Forbidden", "this key may not read project '" + p.slug() + "'");
        }
        return p;
    }

    /**
     * For issue workflow writes: resolves {@code project} (404) and checks that the key may write it, a write key
     * of the project or an admin key (401/403; read keys cannot write).
     */
    public Writer writableProject(String authorization, String project) {
        ProjectKey key = authenticate(authorization);
        Project p = findProject(project).orElseThrow(() -> ApiProblem.notFound("no project '" + project + "'"));
        if (!key.canWrite(p.id())) {
            throw new ApiProblem(403, "Forbidden", "changing the issues of project '" + p.slug()
                    + "' needs a write key of the project or an admin key");
        }
        return new Writer(p, "key:" + key.keyId());
    }

    /** Checks for an admin key (401/403), then resolves {@code project} (404). */
    public Project administeredProject(String authorization, String project) {
        admin(authorization);
        return findProject(project).orElseThrow(() -> ApiProblem.notFound("no project '" + project + "'"));
    }

    private Optional<Project> findProject(String project) {
        boolean numeric = project.chars().allMatch(Character::isDigit) && !project.isEmpty() && project.length() < 19;
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(numeric
                        ? "SELECT id, slug FROM projects WHERE id = ?"
                        : "SELECT id, slug FROM projects WHERE slug = ?")) {
            if (numeric) {
                ps.setLong(1, Long.parseLong(project));
            } else {
                ps.setString(1, project);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Project(rs.getLong(1), rs.getString(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new ApiProblem(503, "Service Unavailable", "the database cannot be reached");
        }
    }
}
