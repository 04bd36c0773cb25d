package dev.beatline.processor.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beatline.model.MetricSample;
import dev.beatline.model.MetricsetEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AgentMetricsAndRetentionIT {

    private static MetricsDatabase db;

    @BeforeAll
    static void migrate() {
        db = MetricsDatabase.migrated();
    }

    @Test
    void metricsetSamplesAreStoredOnceAsTimeSeriesPerService() throws Exception {
        Instant ts = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        MetricsetEvent jvm = new MetricsetEvent(MetricsDatabase.header(7, "checkout", ts), "app", Map.of(
                "jvm.memory.heap.used", new MetricSample("gauge", "byte", 1.5e8, null, null),
                "system.cpu.total.norm.pct", new MetricSample(null, null, 0.25, null, null),
                "latency", new MetricSample("histogram", null, null, List.of(1.0, 5.0), List.of(3L, 4L))), null, null, null, null);
        MetricsetEvent breakdown = new MetricsetEvent(MetricsDatabase.header(7, "checkout", ts), "span_breakdown", Map.of(
                "span.self_time.count", new MetricSample(null, null, 12.0, null, null)), "GET /", "request", "db", "postgresql");
        AgentMetricsWriter writer = new AgentMetricsWriter(Retention.DEFAULTS);
        db.applyCommitted(writer, List.of(jvm, breakdown));
        db.applyCommitted(writer, List.of(jvm, breakdown)); // redelivered

        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("""
                SELECT name, value, labels->>'span.subtype', hist_counts FROM agent_metrics
                 WHERE project_id = 7 AND service_name = 'checkout' ORDER BY name""");
             ResultSet rs = ps.executeQuery()) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1) + "=" + rs.getObject(2) + "/" + rs.getString(3) + "/" + rs.getString(4));
            }
            assertThat(rows).containsExactly("jvm.memory.heap.used=1.5E8/null/null", "latency=null/null/{3,4}",
                    "span.self_time.count=12.0/postgresql/null", "system.cpu.total.norm.pct=0.25/null/null");
        }
    }

    @Test
    void maintenanceCreatesComingPartitionsAndDropsExpiredOnes() throws Exception {
        Retention retention = new Retention(2, 40, 2, 2);
        Instant now = Instant.now();
        Partitions partitions = new Partitions();
        try (Connection c = db.connect()) {
            c.setAutoCommit(true);
            partitions.ensure(c, "transaction_metrics", Partitions.Period.DAY, now.minus(5, ChronoUnit.DAYS));
            partitions.ensure(c, "transaction_metrics_hourly", Partitions.Period.MONTH, now.minus(70, ChronoUnit.DAYS));
            partitions.ensure(c, "trace_spans", Partitions.Period.DAY, now.minus(5, ChronoUnit.DAYS));
            List<String> dropped = new PartitionMaintenance(retention).run(c, now);
            assertThat(dropped).hasSize(3).allMatch(n -> n.startsWith("transaction_metrics_p")
                    || n.startsWith("transaction_metrics_hourly_p") || n.startsWith("trace_spans_p"));
            assertThat(partitionsOf(c, "transaction_metrics")).hasSize(3);
            assertThat(partitionsOf(c, "trace_spans")).hasSize(3);
            assertThat(partitionsOf(c, "agent_metrics")).hasSize(3);
            assertThat(new PartitionMaintenance(retention).run(c, now)).isEmpty();
        }
    }

    @Test
    void rewrittenMetricPartitionsLeaveRoomForHotUpdatesOthersKeepTheDefaults() throws Exception {
        Instant now = Instant.now();
        Partitions partitions = new Partitions();
        try (Connection c = db.connect()) {
            c.setAutoCommit(true);
            partitions.ensure(c, "service_metrics", Partitions.Period.DAY, now);
            partitions.ensure(c, "dependency_metrics_hourly", Partitions.Period.MONTH, now);
            partitions.ensure(c, "trace_samples", Partitions.Period.DAY, now);
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT parent.relname, child.relpersistence, coalesce(array_to_string(child.reloptions, ','), '')
                      FROM pg_inherits JOIN pg_class parent ON parent.oid = inhparent
                      JOIN pg_class child ON child.oid = inhrelid
                     WHERE parent.relname IN ('service_metrics', 'dependency_metrics_hourly', 'trace_samples')""");
                 ResultSet rs = ps.executeQuery()) {
                List<String> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
                }
                assertThat(rows).contains("service_metrics p fillfactor=50", "dependency_metrics_hourly p fillfactor=50",
                        "trace_samples p ");
            }
        }
    }

    private static List<String> partitionsOf(Connection c, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT child.relname FROM pg_inherits JOIN pg_class parent ON parent.oid = inhparent
                  JOIN pg_class child ON child.oid = inhrelid WHERE parent.relname = ?""")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
