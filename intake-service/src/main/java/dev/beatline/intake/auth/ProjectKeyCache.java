package dev.beatline.intake.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.beatline.model.keys.ProjectKey;
import dev.beatline.model.keys.SecretHashing;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;

/**
 * Authenticates credentials against cached keys, so that ingestion for known keys goes on while PostgreSQL is
 * down. A known key stays cached and is re-read in the background every {@code refresh}; when that re-read
 * fails the cached key is kept. An unknown secret is remembered as unknown for {@code negativeTtl}, so a
 * client hammering with a bad token costs one query per period. Keys are found either by the hash of their
 * secret (Elastic credentials) or by their public key (Sentry DSNs, whose key is not secret); both are cached
 * the same way. Plain class: the bean wiring is in {@link AuthProducer}.
 */
public class ProjectKeyCache {

    private static final Logger LOG = Logger.getLogger(ProjectKeyCache.class);

    /** Looks a key up by the hash of its secret, or by its public key. */
    @FunctionalInterface
    public interface KeyLookup {
        Optional<ProjectKey> find(String secretHashOrPublicKey) throws SQLException;
    }

    private static final String BY_SECRET = "s:";
    private static final String BY_PUBLIC_KEY = "p:";

    private final LoadingCache<String, ProjectKey> known;
    private final Cache<String, Boolean> unknown;
    private final KeyLookup bySecretHash;
    private final KeyLookup byPublicKey;

    public ProjectKeyCache(KeyLookup bySecretHash, KeyLookup byPublicKey, Duration refresh, Duration negativeTtl) {
        this.bySecretHash = bySecretHash;
        this.byPublicKey = byPublicKey;
        this.known = Caffeine.newBuilder()
                .maximumSize(100_000)
                .refreshAfterWrite(refresh)
                .build(this::loadOrNull);
        this.unknown = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(negativeTtl).build();
    }

    /**
     * The key these credentials name.
     *
     * @throws AuthenticationException      when the secret is unknown, revoked, or the ApiKey id does not match
     * @throws KeyStoreUnavailableException when the key is not cached and PostgreSQL cannot be reached
     */
    public ProjectKey authenticate(Credentials credentials) {
        ProjectKey key = cached(BY_SECRET + SecretHashing.sha256Hex(credentials.secret()));
        if (credentials instanceof Credentials.ApiKey apiKey && !apiKey.publicKey().equals(key.publicKey())) {
            throw new AuthenticationException("authentication failed");
        }
        return key;
    }

    /**
     * The key with this public key (a Sentry DSN's key), cached like secrets are.
     *
     * @throws AuthenticationException      when no unrevoked key has this public key
     * @throws KeyStoreUnavailableException when the key is not cached and PostgreSQL cannot be reached
     */
    public ProjectKey byPublicKey(String publicKey) {
        return cached(BY_PUBLIC_KEY + publicKey);
    }

    private ProjectKey cached(String cacheKey) {
        if (unknown.getIfPresent(cacheKey) != null) {
            throw new AuthenticationException("authentication failed");
        }
        ProjectKey key;
        try {
            key = known.get(cacheKey);
        } catch (CompletionException | KeyStoreUnavailableException e) {
            Throwable cause = e instanceof CompletionException ? e.getCause() : e;
            if (cause instanceof KeyStoreUnavailableException ksu) {
                throw ksu;
            }
            throw e;
        }
        if (key == null) {
            unknown.put(cacheKey, Boolean.TRUE);
            throw new AuthenticationException("authentication failed");
        }
        return key;
    }

    /** Forgets everything cached (used by tests and after admin changes in the same process). */
    public void invalidateAll() {
        known.invalidateAll();
        unknown.invalidateAll();
    }

    private ProjectKey loadOrNull(String cacheKey) {
        KeyLookup lookup = cacheKey.startsWith(BY_SECRET) ? bySecretHash : byPublicKey;
        try {
            return lookup.find(cacheKey.substring(2)).orElse(null);
        } catch (SQLException e) {
            LOG.debugf("key lookup failed: %s", e.getMessage());
            throw new KeyStoreUnavailableException("cannot verify credentials: key store unavailable", e);
        }
    }
}
