package dev.beatline.processor.metrics;

import dev.beatline.processor.ProcessorConfig;
import dev.beatline.processor.traces.TraceSampler;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The processor's scheduled upkeep of metric and trace storage: partition creation and retention
 * ({@link PartitionMaintenance}, at start and every {@code beatline.retention.check-interval}), and promotion of
 * buffered transactions that an error stored after them points to ({@link TraceSampler#promoteErrored}, every
 * {@code beatline.traces.error-promotion-interval}). Several processors may run it at once: every step is
 * idempotent.
 */
@ApplicationScoped
public class MetricsRetentionJob {

    private static final Logger LOG = Logger.getLogger(MetricsRetentionJob.class);
    /** Errors are promoted once this old: longer than any batch transaction takes to commit. */
    private static final Duration PROMOTION_SETTLE = Duration.ofSeconds(30);

    private final AgroalDataSource dataSource;
    private final ProcessorConfig processor;
    private final Duration checkInterval;
    private final Duration promotionInterval;
    private final Retention retention = Retention.fromConfig();
    private final PartitionMaintenance maintenance = new PartitionMaintenance(retention);
    private final TraceSampler sampler = new TraceSampler(new Partitions(), retention, TraceSampler.DEFAULT_PER_GROUP_MINUTE);
    private ScheduledExecutorService executor;
    private Instant errorsSince;

    public MetricsRetentionJob(AgroalDataSource dataSource, ProcessorConfig processor,
            @ConfigProperty(name = "beatline.retention.check-interval", defaultValue = "1h") Duration checkInterval,
            @ConfigProperty(name = "beatline.traces.error-promotion-interval", defaultValue = "10s") Duration promotionInterval) {
        this.dataSource = dataSource;
        this.processor = processor;
        this.checkInterval = checkInterval;
        this.promotionInterval = promotionInterval;
    }

    void onStart(@Observes StartupEvent ev) {
        if (!processor.enabled()) {
            return;
        }
        errorsSince = Instant.now().minus(Duration.ofHours(retention.bufferHours()));
        executor = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "beatline-metrics-upkeep"));
        executor.scheduleWithFixedDelay(this::maintainPartitions, 0, checkInterval.toMillis(), TimeUnit.MILLISECONDS);
        executor.scheduleWithFixedDelay(this::promoteErrored, promotionInterval.toMillis(), promotionInterval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private void maintainPartitions() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            List<String> dropped = maintenance.run(c, Instant.now());
            if (!dropped.isEmpty()) {
                LOG.infof("retention dropped partitions %s", dropped);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("partition maintenance failed, next try in %s: %s", checkInterval, e.toString());
        }
    }

    private void promoteErrored() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Instant latest = sampler.promoteErrored(c, errorsSince, PROMOTION_SETTLE, 5_000);
                c.commit();
                errorsSince = latest;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("promoting errored transactions to trace samples failed: %s", e.toString());
        }
    }
}
