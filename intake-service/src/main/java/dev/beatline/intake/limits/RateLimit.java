package dev.beatline.intake.limits;

/** A rate in events per second with the burst a bucket may save up. */
public record RateLimit(int eventsPerSecond, int burst) {

    public RateLimit {
        if (eventsPerSecond <= 0) {
            throw new IllegalArgumentException("eventsPerSecond must be > 0");
        }
        burst = Math.max(burst, 1);
    }
}
