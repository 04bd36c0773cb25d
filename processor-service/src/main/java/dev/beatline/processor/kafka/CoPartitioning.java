package dev.beatline.processor.kafka;

import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Whether topics are co-partitioned: records are keyed {@code project/service} on every topic, so with equal
 * partition counts a service's records land on the same partition number of each topic, and the range assignment
 * gives equal partition numbers to one consumer. The trace sampler relies on it to see a service's spans,
 * transactions and errors in one process. Pure.
 */
public final class CoPartitioning {

    private CoPartitioning() {
    }

    /**
     * A warning when the topics' partition counts differ (absent topics are not compared), else empty.
     *
     * @param partitionCounts partition count by topic
     */
    public static Optional<String> check(Map<String, Integer> partitionCounts) {
        if (new HashSet<>(partitionCounts.values()).size() <= 1) {
            return Optional.empty();
        }
        return Optional.of("topics " + new TreeMap<>(partitionCounts) + " have different partition counts, so a "
                + "service's spans, transactions and errors may reach different processors: trace samples may miss "
                + "spans (written only if their transaction was already kept when the hold time ends) and errors "
                + "consumed after their transaction may not promote it. Counts are not affected. Give these topics "
                + "the same number of partitions.");
    }
}
