package dev.beatline.query.transactions;

import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Response bodies of the services and transactions API. Durations are microseconds, throughput is per
 * minute. Percentiles (p50Us, p95Us, p99Us) come from the merged duration histograms; null when no duration was
 * recorded.
 */
public final class TransactionDtos {

    private TransactionDtos() {
    }

    @Schema(description = "One service in one environment over the range")
    public record ServiceOverview(String service, String environment, double transactionCount,
            double throughputPerMinute, double failureRate, double avgUs,
            @Schema(description = "null when no transaction was recorded", nullable = true) Double p95Us,
            long errorCount) {
    }

    @Schema(description = "Services of a project over a range")
    public record ServicesOverview(String project, Instant from, Instant to, List<ServiceOverview> services) {
    }

    @Schema(description = "Transaction groups over a range, in the requested order")
    public record TransactionList(String project, Instant from, Instant to, String sort,
            List<TransactionGroup> transactions) {
    }

    @Schema(description = "One bucket of a transaction's time series")
    public record SeriesPoint(Instant t, double count, double throughputPerMinute, Double failureRate, Double avgUs,
            @Schema(nullable = true) Double p50Us, @Schema(nullable = true) Double p95Us,
            @Schema(nullable = true) Double p99Us) {
    }

    @Schema(description = "Time series of one transaction group; every bucket listed (empty ones with count 0)")
    public record TransactionSeries(String service, String environment, String type, String name, Instant from,
            Instant to, String interval, List<SeriesPoint> points) {
    }

    @Schema(description = "One destination a service calls (database, cache, another service …) over the range; "
            + "absent dimensions are null (dropped-span statistics carry no span type)")
    public record Dependency(String resource, String spanType, String spanSubtype, String targetType,
            String targetName, double count, double throughputPerMinute, double failureRate, double avgUs,
            @Schema(nullable = true) Double p50Us, @Schema(nullable = true) Double p95Us,
            @Schema(nullable = true) Double p99Us, double impact) {
    }

    @Schema(description = "The destinations a service calls, by impact (total time spent)")
    public record DependencyList(String project, String service, String environment, Instant from, Instant to,
            List<Dependency> dependencies) {
    }
}
