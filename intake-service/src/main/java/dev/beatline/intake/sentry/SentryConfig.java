package dev.beatline.intake.sentry;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Sentry item size limits ({@code BEATLINE_INTAKE_SENTRY_MAX_EVENT_SIZE} …); the whole decompressed envelope is
 * bounded by {@code beatline.intake.max-request-size}. Defaults are Sentry's documented limits.
 */
@ConfigMapping(prefix = "beatline.intake.sentry")
public interface SentryConfig {

    /** Largest event, transaction, span, log, session or feedback item, in bytes (Sentry: 1 MiB). */
    @WithDefault("1048576")
    long maxEventSize();

    /** Largest attachment, in bytes; only its metadata is kept, but the bytes are read. */
    @WithDefault("20971520")
    long maxAttachmentSize();

    /** Largest client report, in bytes (Sentry: 4 KiB). */
    @WithDefault("4096")
    long maxClientReportSize();
}
