package dev.beatline.processor.issues;

import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * How long error data is kept ({@code beatline.retention.error-days}, env {@code BEATLINE_RETENTION_ERROR_DAYS},
 * default 30): occurrences ({@code error_events} day partitions) and per-minute issue counts. Issues themselves
 * (counts, status, activity) are kept.
 *
 * <p>The exactly-once key {@code error_event_ids} is kept {@code dedupDays}
 * ({@code beatline.retention.error-dedup-days}, default the larger of error-days and {@value #KAFKA_RETENTION_DAYS}).
 * An event id older than that is forgotten: an SDK or agent re-sending an event with that id later counts it
 * again. The horizon must cover the Kafka topics' retention (7 days by default), the longest a record can wait
 * to be (re)delivered, so redelivery never double counts.
 *
 * @param errorDays days of occurrences and minute counts
 * @param dedupDays days an applied event id is remembered
 */
public record ErrorRetention(int errorDays, int dedupDays) {

    /** Default retention of the event topics; the dedup horizon is never shorter. */
    public static final int KAFKA_RETENTION_DAYS = 7;
    public static final int DEFAULT_ERROR_DAYS = 30;
    public static final ErrorRetention DEFAULTS = new ErrorRetention(DEFAULT_ERROR_DAYS, DEFAULT_ERROR_DAYS);
    /**
     * Occurrences this close to expiry are counted but not stored, so a batch never writes into a partition the
     * retention job is about to drop (it would land in the default partition, or recreate the dropped one).
     */
    static final Duration STORE_MARGIN = Duration.ofHours(1);

    public ErrorRetention {
        if (errorDays < 1 || dedupDays < KAFKA_RETENTION_DAYS) {
            throw new IllegalArgumentException("error-days must be at least 1 and error-dedup-days at least "
                    + KAFKA_RETENTION_DAYS + " (the Kafka retention): " + errorDays + "/" + dedupDays);
        }
    }

    /** From {@code beatline.retention.error-days} and {@code .error-dedup-days} (also environment variables). */
    public static ErrorRetention fromConfig() {
        Config c = ConfigProvider.getConfig();
        int days = c.getOptionalValue("beatline.retention.error-days", Integer.class).orElse(DEFAULT_ERROR_DAYS);
        int dedup = c.getOptionalValue("beatline.retention.error-dedup-days", Integer.class)
                .orElse(Math.max(days, KAFKA_RETENTION_DAYS));
        return new ErrorRetention(days, dedup);
    }

    /** Occurrences and minute counts received before this are expired. */
    public Instant occurrenceCutoff(Instant now) {
        return now.minus(Duration.ofDays(errorDays));
    }

    /** Event ids received before this are forgotten. */
    public Instant dedupCutoff(Instant now) {
        return now.minus(Duration.ofDays(dedupDays));
    }

    /** Whether an occurrence received at {@code receivedAt} is still stored (not about to expire). */
    public boolean stores(Instant receivedAt, Instant now) {
        return !receivedAt.isBefore(occurrenceCutoff(now).plus(STORE_MARGIN));
    }
}
