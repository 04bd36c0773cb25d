package dev.beatline.processor.metrics;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Creates the coming partitions of every partitioned metric and trace table and drops the ones whose whole
 * period is older than the table's {@link Retention}. Plain class; {@link MetricsRetentionJob} schedules it.
 */
public final class PartitionMaintenance {

    private record Managed(String table, Partitions.Period period, Function<Instant, Instant> cutoff) {
    }

    private final Partitions partitions = new Partitions();
    private final List<Managed> tables = new ArrayList<>();

    public PartitionMaintenance(Retention retention) {
        for (MetricTable t : List.of(MetricTable.TRANSACTIONS, MetricTable.SERVICES, MetricTable.DEPENDENCIES)) {
            tables.add(new Managed(t.name(), Partitions.Period.DAY, retention::minuteCutoff));
            tables.add(new Managed(t.hourlyName(), Partitions.Period.MONTH, retention::hourCutoff));
        }
        tables.add(new Managed("agent_metrics", Partitions.Period.DAY, retention::agentMetricsCutoff));
        tables.add(new Managed("trace_samples", Partitions.Period.DAY, retention::traceCutoff));
        tables.add(new Managed("trace_spans", Partitions.Period.DAY, retention::traceCutoff));
    }

    /**
     * Ensures the current and the next two periods' partitions exist and drops expired ones, each table in its
     * own short statement (the caller commits; auto-commit is fine).
     *
     * @return names of the dropped partitions
     */
    public List<String> run(Connection c, Instant now) throws SQLException {
        List<String> dropped = new ArrayList<>();
        for (Managed m : tables) {
            Instant start = m.period().start(now);
            for (int i = 0; i < 3; i++) {
                partitions.ensure(c, m.table(), m.period(), start);
                start = m.period().next(start);
            }
            dropped.addAll(partitions.dropBefore(c, m.table(), m.period(), m.cutoff().apply(now)));
        }
        return dropped;
    }
}
