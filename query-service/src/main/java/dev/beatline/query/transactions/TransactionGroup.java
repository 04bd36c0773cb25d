package dev.beatline.query.transactions;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One transaction group over the requested range. Durations in microseconds; throughput per minute; impact is
 * count × average (the total time spent). Percentiles come from the merged duration histograms (within 1 %).
 */
public record TransactionGroup(
        String service,
        String environment,
        String type,
        String name,
        double count,
        double failureCount,
        double failureRate,
        double avgUs,
        long minUs,
        long maxUs,
        @Schema(nullable = true) Double p50Us,
        @Schema(nullable = true) Double p95Us,
        @Schema(nullable = true) Double p99Us,
        double throughputPerMinute,
        double impact) {
}
