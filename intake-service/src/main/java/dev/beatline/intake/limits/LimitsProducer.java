package dev.beatline.intake.limits;

import dev.beatline.intake.IntakeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Wires the per-project rate limiter to the database and configuration. */
@ApplicationScoped
public class LimitsProducer {

    @Produces
    @ApplicationScoped
    ProjectRateLimiter projectRateLimiter(ProjectLimitsRepository repository, IntakeConfig config) {
        RateLimit defaults = new RateLimit(config.rateLimitEventsPerSecond(), config.rateLimitBurst());
        return new ProjectRateLimiter(defaults, id -> repository.find(id, defaults), config.keyCacheRefresh());
    }
}
