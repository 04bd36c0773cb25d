package dev.beatline.intake.rum;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.beatline.intake.IntakeConfig;
import dev.beatline.intake.auth.KeyStoreUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * Caches anonymous RUM settings like keys are cached: known settings keep working while PostgreSQL is down
 * (background refresh keeps the old value when it fails); a key never seen while it is down gives 503.
 */
@ApplicationScoped
public class RumAccessCache {

    private final LoadingCache<String, Optional<RumAccess>> cache;

    public RumAccessCache(RumAccessRepository repository, IntakeConfig config) {
        this.cache = Caffeine.newBuilder().maximumSize(100_000).refreshAfterWrite(config.keyCacheRefresh())
                .build(key -> {
                    try {
                        return repository.findByPublicKey(key);
                    } catch (SQLException e) {
                        throw new KeyStoreUnavailableException("cannot verify RUM key: key store unavailable", e);
                    }
                });
    }

    /** @throws KeyStoreUnavailableException when the key is not cached and PostgreSQL cannot be reached */
    public Optional<RumAccess> find(String publicKey) {
        try {
            return cache.get(publicKey);
        } catch (CompletionException e) {
            if (e.getCause() instanceof KeyStoreUnavailableException k) {
                throw k;
            }
            throw e;
        }
    }
}
