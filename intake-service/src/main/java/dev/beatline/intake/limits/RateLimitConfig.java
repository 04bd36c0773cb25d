package dev.beatline.intake.limits;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Per-project ingest rate ({@code BEATLINE_INTAKE_RATE_LIMIT_EVENTS_PER_SECOND}, {@code …_BURST}). */
@ConfigMapping(prefix = "beatline.intake.rate-limit")
public interface RateLimitConfig {

    /** Sustained events per second each project may send; 0 = unlimited. */
    @WithDefault("0")
    double eventsPerSecond();

    /** Events a project may send at once after being idle. */
    @WithDefault("10000")
    double burst();
}
