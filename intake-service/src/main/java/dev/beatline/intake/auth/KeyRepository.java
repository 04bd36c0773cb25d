package dev.beatline.intake.auth;

import dev.beatline.model.keys.ProjectKey;
import dev.beatline.model.keys.ProjectKeys;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/** Reads keys from PostgreSQL. The intake only ever reads keys; admin writes them through the query service. */
@ApplicationScoped
public class KeyRepository {

    private final AgroalDataSource dataSource;

    public KeyRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<ProjectKey> findBySecretHash(String secretHash) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return ProjectKeys.findBySecretHash(c, secretHash);
        }
    }

    public Optional<ProjectKey> findByPublicKey(String publicKey) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return ProjectKeys.findByPublicKey(c, publicKey);
        }
    }
}
