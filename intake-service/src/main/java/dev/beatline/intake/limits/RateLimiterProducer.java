package dev.beatline.intake.limits;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Wires the project rate limiter to its configuration. */
@ApplicationScoped
public class RateLimiterProducer {

    @Produces
    @ApplicationScoped
    ProjectRateLimiter projectRateLimiter(RateLimitConfig config) {
        return new ProjectRateLimiter(config.eventsPerSecond(), config.burst(), System::nanoTime);
    }
}
