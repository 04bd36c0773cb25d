package dev.beatline.intake.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * Token buckets by an arbitrary key (e.g. project and client IP for anonymous RUM), created on first use and
 * forgotten after ten idle minutes; at most {@code maxKeys} are kept (the least recently used go first).
 */
public final class KeyedRateLimiter {

    private record Entry(RateLimit limit, TokenBucket bucket) {
    }

    private final Cache<String, Entry> buckets;

    public KeyedRateLimiter(int maxKeys) {
        this.buckets = Caffeine.newBuilder().maximumSize(maxKeys).expireAfterAccess(Duration.ofMinutes(10)).build();
    }

    public TokenBucket bucket(String key, RateLimit limit) {
        return buckets.asMap().compute(key, (k, old) -> old != null && old.limit.equals(limit)
                ? old : new Entry(limit, new TokenBucket(limit.eventsPerSecond(), limit.burst()))).bucket();
    }
}
