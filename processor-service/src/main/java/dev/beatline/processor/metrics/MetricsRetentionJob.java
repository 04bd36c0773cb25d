package dev.beatline.processor.metrics;

import dev.beatline.processor.ProcessorConfig;
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
 * ({@link PartitionMaintenance}), at start and every {@code beatline.retention.check-interval}; and the hour
 * rollup of closed minutes ({@link HourRollup}) every {@code beatline.processor.hour-rollup-interval}, an hour
 * {@code hour-rollup-grace} after it ended. Several processors may run it at once: every step is idempotent, and
 * the rollup runs under its own lock.
 */
@ApplicationScoped
public class MetricsRetentionJob {

    private static final Logger LOG = Logger.getLogger(MetricsRetentionJob.class);

    private final AgroalDataSource dataSource;
    private final ProcessorConfig processor;
    private final Duration checkInterval;
    private final PartitionMaintenance maintenance = new PartitionMaintenance(Retention.fromConfig());
    private final HourRollup rollup = new HourRollup(new Partitions(), Retention.fromConfig());
    private ScheduledExecutorService executor;

    public MetricsRetentionJob(AgroalDataSource dataSource, ProcessorConfig processor,
            @ConfigProperty(name = "beatline.retention.check-interval", defaultValue = "1h") Duration checkInterval) {
        this.dataSource = dataSource;
        this.processor = processor;
        this.checkInterval = checkInterval;
    }

    void onStart(@Observes StartupEvent ev) {
        if (!processor.enabled()) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "beatline-metrics-upkeep"));
        executor.scheduleWithFixedDelay(this::maintainPartitions, 0, checkInterval.toMillis(), TimeUnit.MILLISECONDS);
        long rollupMillis = processor.hourRollupInterval().toMillis();
        executor.scheduleWithFixedDelay(this::rollUpHours, rollupMillis, rollupMillis, TimeUnit.MILLISECONDS);
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

    private void rollUpHours() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            int hours = rollup.rollUp(c, Instant.now(), processor.hourRollupGrace());
            c.commit();
            if (hours > 0) {
                LOG.debugf("rolled up %d hour(s) of metrics", hours);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("hour rollup failed, next try in %s: %s", processor.hourRollupInterval(), e.toString());
        }
    }
}
