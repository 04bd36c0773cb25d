package dev.beatline.intake.limits;

import java.util.function.LongSupplier;

/**
 * A token bucket: {@code ratePerSecond} tokens flow in continuously up to {@code burst}; each event takes one.
 * Thread-safe (one lock per bucket, held for a few arithmetic operations). Plain class with an injectable clock.
 */
public final class TokenBucket {

    private final double ratePerNano;
    private final double burst;
    private final LongSupplier nanoClock;
    private double tokens;
    private long lastRefill;

    public TokenBucket(double ratePerSecond, double burst, LongSupplier nanoClock) {
        if (ratePerSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("rate must be > 0 and burst ≥ 1, got " + ratePerSecond + "/" + burst);
        }
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.nanoClock = nanoClock;
        this.tokens = burst;
        this.lastRefill = nanoClock.getAsLong();
    }

    public TokenBucket(double ratePerSecond, double burst) {
        this(ratePerSecond, burst, System::nanoTime);
    }

    /** Takes one token if there is one. */
    public synchronized boolean tryTake() {
        refill();
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /**
     * Takes {@code n} tokens at once, or none: a request of more than {@code burst} events needs a full bucket.
     */
    public synchronized boolean tryTake(int n) {
        refill();
        double needed = Math.min(n, burst);
        if (tokens >= needed) {
            tokens -= needed;
            return true;
        }
        return false;
    }

    /** True when at least one token is available now (nothing is taken). */
    public synchronized boolean hasToken() {
        refill();
        return tokens >= 1;
    }

    /** Whole seconds until one token will be available (at least 1), for {@code Retry-After}. */
    public synchronized int secondsUntilToken() {
        refill();
        double missing = Math.max(0, 1 - tokens);
        return (int) Math.max(1, Math.ceil(missing / ratePerNano / 1e9));
    }

    private void refill() {
        long now = nanoClock.getAsLong();
        long elapsed = now - lastRefill;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * ratePerNano);
            lastRefill = now;
        }
    }
}
