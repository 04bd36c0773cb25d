package dev.beatline.query.transactions;

/** One transaction group over the requested range. Durations in microseconds; throughput per minute. */
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
        double throughputPerMinute,
        double impact) {
}
