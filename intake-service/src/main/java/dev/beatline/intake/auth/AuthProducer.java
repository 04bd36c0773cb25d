package dev.beatline.intake.auth;

import dev.beatline.intake.IntakeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Wires the key cache to the repository and configuration. */
@ApplicationScoped
public class AuthProducer {

    @Produces
    @ApplicationScoped
    ProjectKeyCache projectKeyCache(KeyRepository repository, IntakeConfig config) {
        return new ProjectKeyCache(repository::findBySecretHash, repository::findByPublicKey,
                config.keyCacheRefresh(), config.negativeKeyCacheTtl());
    }
}
