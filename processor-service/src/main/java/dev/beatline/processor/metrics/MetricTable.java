package dev.beatline.processor.metrics;

import java.util.List;

/**
 * A pair of histogram metrics tables: per minute ({@code name}, daily partitions) and per hour
 * ({@code name_hourly}, monthly partitions), with the same dimension columns.
 */
public record MetricTable(String name, List<String> dimensions) {

    /** Per transaction group, as the issue defines it. */
    public static final MetricTable TRANSACTIONS = new MetricTable("transaction_metrics",
            List.of("service_name", "environment", "transaction_type", "transaction_name", "result", "outcome"));
    /** Per service, environment and transaction type (apm-server's service_transaction). */
    public static final MetricTable SERVICES = new MetricTable("service_metrics",
            List.of("service_name", "environment", "transaction_type"));
    /** Per service and destination (apm-server's service_destination). */
    public static final MetricTable DEPENDENCIES = new MetricTable("dependency_metrics",
            List.of("service_name", "environment", "span_type", "span_subtype", "resource", "target_type", "target_name"));

    public String hourlyName() {
        return name + "_hourly";
    }
}
