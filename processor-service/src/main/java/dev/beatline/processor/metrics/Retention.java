package dev.beatline.processor.metrics;

import dev.beatline.processor.kafka.ConsumedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * How long each resolution is kept; environment variables {@code BEATLINE_RETENTION_MINUTE_DAYS} etc. Writers
 * skip events older than their table's retention (they would land in a partition the retention job drops), so
 * a late event never recreates an expired partition.
 *
 * @param minuteDays       per-minute metrics (daily partitions)
 * @param hourDays         per-hour metrics (monthly partitions; a month is dropped once all of it is older)
 * @param agentMetricsDays agent metricsets (daily partitions)
 * @param traceDays        trace samples and their spans (daily partitions)
 */
public record Retention(int minuteDays, int hourDays, int agentMetricsDays, int traceDays) {

    public static final Retention DEFAULTS = new Retention(14, 400, 14, 7);

    public Retention {
        if (minuteDays < 1 || hourDays < minuteDays || agentMetricsDays < 1 || traceDays < 1) {
            throw new IllegalArgumentException("retention must be at least 1 and hour-days at least minute-days: "
                    + minuteDays + "/" + hourDays + "/" + agentMetricsDays + "/" + traceDays);
        }
    }

    /** From {@code beatline.retention.*} (MicroProfile Config, so also environment variables), else the defaults. */
    public static Retention fromConfig() {
        Config c = ConfigProvider.getConfig();
        return new Retention(
                c.getOptionalValue("beatline.retention.minute-days", Integer.class).orElse(DEFAULTS.minuteDays),
                c.getOptionalValue("beatline.retention.hour-days", Integer.class).orElse(DEFAULTS.hourDays),
                c.getOptionalValue("beatline.retention.agent-metrics-days", Integer.class).orElse(DEFAULTS.agentMetricsDays),
                c.getOptionalValue("beatline.retention.trace-days", Integer.class).orElse(DEFAULTS.traceDays));
    }

    public Instant minuteCutoff(Instant now) {
        return now.minus(Duration.ofDays(minuteDays));
    }

    public Instant hourCutoff(Instant now) {
        return now.minus(Duration.ofDays(hourDays));
    }

    public Instant agentMetricsCutoff(Instant now) {
        return now.minus(Duration.ofDays(agentMetricsDays));
    }

    public Instant traceCutoff(Instant now) {
        return now.minus(Duration.ofDays(traceDays));
    }

    /** The events not older than the minute retention (older ones would land in a dropped partition). */
    public List<ConsumedEvent> withinMinuteRetention(List<ConsumedEvent> events, Instant now) {
        Instant cutoff = minuteCutoff(now);
        List<ConsumedEvent> out = new ArrayList<>(events.size());
        for (ConsumedEvent e : events) {
            if (!e.event().header().timestamp().isBefore(cutoff)) {
                out.add(e);
            }
        }
        return out;
    }
}
