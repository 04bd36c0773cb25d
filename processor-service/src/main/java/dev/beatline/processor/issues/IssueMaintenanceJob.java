package dev.beatline.processor.issues;

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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs {@link IssueMaintenance}: auto-ongoing and error retention at start and every
 * {@code beatline.issues.maintenance-interval} (default 1h); the end of timed ignores every
 * {@code beatline.issues.snooze-expiry-interval} (default 1m, so an issue ignored "for N minutes" reopens at most a
 * minute late when it gets no event). Failures are logged and retried on the next run.
 */
@ApplicationScoped
public class IssueMaintenanceJob {

    private static final Logger LOG = Logger.getLogger(IssueMaintenanceJob.class);
    private static final int CHUNK = 5_000;

    private final AgroalDataSource dataSource;
    private final ProcessorConfig processor;
    private final Duration interval;
    private final Duration snoozeExpiryInterval;
    private final IssueMaintenance maintenance = new IssueMaintenance(ErrorRetention.fromConfig(), CHUNK);
    private ScheduledExecutorService executor;

    public IssueMaintenanceJob(AgroalDataSource dataSource, ProcessorConfig processor,
            @ConfigProperty(name = "beatline.issues.maintenance-interval", defaultValue = "1h") Duration interval,
            @ConfigProperty(name = "beatline.issues.snooze-expiry-interval", defaultValue = "1m")
            Duration snoozeExpiryInterval) {
        this.dataSource = dataSource;
        this.processor = processor;
        this.interval = interval;
        this.snoozeExpiryInterval = snoozeExpiryInterval;
    }

    void onStart(@Observes StartupEvent ev) {
        if (!processor.enabled()) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "beatline-issue-upkeep"));
        executor.scheduleWithFixedDelay(this::run, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        executor.scheduleWithFixedDelay(this::expireSnoozes, 0, snoozeExpiryInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private void expireSnoozes() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            maintenance.expireSnoozes(c, Instant.now()).filter(n -> n > 0)
                    .ifPresent(n -> LOG.infof("%d ignored issues reopened: their ignore duration ended", n));
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("ignore expiry failed, next try in %s: %s", snoozeExpiryInterval, e.toString());
        }
    }

    private void run() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            Instant now = Instant.now();
            maintenance.markOngoing(c, now).filter(n -> n > 0)
                    .ifPresent(n -> LOG.infof("%d issues became ongoing", n));
            maintenance.applyRetention(c, now).ifPresent(r -> LOG.infof(
                    "error retention: dropped partitions %s, deleted %d default-partition rows, %d event ids, "
                            + "%d minute counts, %d service error hours", r.droppedPartitions(),
                    r.defaultPartitionRows(), r.eventIds(), r.minuteCounts(), r.serviceErrorHours()));
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("issue maintenance failed, next try in %s: %s", interval, e.toString());
        }
    }
}
