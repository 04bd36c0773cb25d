package dev.beatline.intake.limits;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One token bucket per project: {@code eventsPerSecond} sustained, {@code burst} at once. A request takes as
 * many tokens as it carries events, all or nothing; when it cannot, {@link #tryAcquire} tells how long until
 * it could. A rate of 0 disables limiting. Thread-safe; plain class so that tests drive the clock.
 */
public final class ProjectRateLimiter {

    private final double eventsPerSecond;
    private final double burst;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<Long, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long updatedNanos;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updatedNanos = now;
        }
    }

    public ProjectRateLimiter(double eventsPerSecond, double burst, LongSupplier nanoClock) {
        this.eventsPerSecond = eventsPerSecond;
        this.burst = Math.max(burst, eventsPerSecond);
        this.nanoClock = nanoClock;
    }

    /**
     * Takes {@code events} tokens from the project's bucket.
     *
     * @return 0 when granted, else the whole seconds (≥ 1) to wait before so many events would be granted
     */
    public long tryAcquire(long projectId, int events) {
        if (eventsPerSecond <= 0 || events <= 0) {
            return 0;
        }
        long now = nanoClock.getAsLong();
        Bucket b = buckets.computeIfAbsent(projectId, id -> new Bucket(burst, now));
        synchronized (b) {
            b.tokens = Math.min(burst, b.tokens + (now - b.updatedNanos) / 1e9 * eventsPerSecond);
            b.updatedNanos = now;
            double needed = Math.min(events, burst);
            if (b.tokens >= needed) {
                b.tokens -= needed;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((needed - b.tokens) / eventsPerSecond));
        }
    }
}
