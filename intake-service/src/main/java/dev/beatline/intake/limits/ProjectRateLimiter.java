package dev.beatline.intake.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * One token bucket per project. A project's rate comes from {@code projects.rate_limit_eps/_burst} (either
 * NULL → the configured default), read through a cache that is refreshed in the background; while PostgreSQL
 * is unreachable the last known limit (or the default) stays in force, so rate limiting never blocks intake.
 * Plain class; wired by {@link LimitsProducer}.
 */
public class ProjectRateLimiter {

    private static final Logger LOG = Logger.getLogger(ProjectRateLimiter.class);

    /** Reads a project's own limit; empty when the project uses the default. */
    @FunctionalInterface
    public interface LimitLookup {
        Optional<RateLimit> find(long projectId) throws SQLException;
    }

    private record Entry(RateLimit limit, TokenBucket bucket) {
    }

    private final RateLimit defaults;
    private final LimitLookup lookup;
    private final LoadingCache<Long, RateLimit> limits;
    private final Cache<Long, Entry> buckets;

    public ProjectRateLimiter(RateLimit defaults, LimitLookup lookup, Duration refresh) {
        this.defaults = defaults;
        this.lookup = lookup;
        this.limits = Caffeine.newBuilder().maximumSize(100_000).refreshAfterWrite(refresh).build(this::load);
        this.buckets = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(10)).build();
    }

    /** The bucket the project's events are taken from (replaced when the project's limit changed). */
    public TokenBucket bucket(long projectId) {
        RateLimit limit = limits.get(projectId);
        Entry e = buckets.asMap().compute(projectId, (id, old) -> old != null && old.limit.equals(limit)
                ? old : new Entry(limit, new TokenBucket(limit.eventsPerSecond(), limit.burst())));
        return e.bucket();
    }

    private RateLimit load(Long projectId) {
        try {
            return lookup.find(projectId).orElse(defaults);
        } catch (SQLException e) {
            LOG.debugf("rate limit of project %d not readable, using the default: %s", projectId, e.getMessage());
            RateLimit known = limits.getIfPresent(projectId);
            return known != null ? known : defaults;
        }
    }
}
