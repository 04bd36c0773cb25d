package dev.beatline.intake;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Intake settings; each is also an environment variable (e.g. {@code BEATLINE_INTAKE_MAX_EVENT_SIZE}). */
@ConfigMapping(prefix = "beatline.intake")
public interface IntakeConfig {

    /** Largest decompressed NDJSON line, in bytes; a longer one is reported and skipped (apm-server: 307200). */
    @WithDefault("307200")
    int maxEventSize();

    /** Largest decompressed request body, in bytes; more → 413 (also stops compression bombs). */
    @WithDefault("104857600")
    long maxRequestSize();

    /** How long a request waits for Kafka to acknowledge its events before answering 503. */
    @WithDefault("10s")
    Duration ackTimeout();

    /** Longest a send may block when Kafka's metadata or buffer is unavailable (producer {@code max.block.ms}). */
    @WithDefault("5s")
    Duration kafkaMaxBlock();

    /** {@code Retry-After} seconds sent with 503 and 429. */
    @WithDefault("5")
    int retryAfterSeconds();

    /** How long a known key stays cached before it is re-read (revocations take effect within this). */
    @WithDefault("60s")
    Duration keyCacheRefresh();

    /** How long an unknown key is remembered as unknown. */
    @WithDefault("5s")
    Duration negativeKeyCacheTtl();

    /** The version reported on {@code GET /}; agents change behaviour on it (≥ 8.0: no unsampled transactions). */
    @WithDefault("8.19.0")
    String reportedServerVersion();

    /** Default ingest rate of a project, events per second (per project override: {@code projects.rate_limit_eps}). */
    @WithDefault("20000")
    int rateLimitEventsPerSecond();

    /** Default burst of a project's token bucket (per project override: {@code projects.rate_limit_burst}). */
    @WithDefault("40000")
    int rateLimitBurst();

    /** Anonymous RUM: default events per second per client IP (per project override in {@code project_rum_access}). */
    @WithDefault("300")
    int rumIpEventsPerSecond();

    /** Anonymous RUM: default burst per client IP. */
    @WithDefault("900")
    int rumIpBurst();
}
