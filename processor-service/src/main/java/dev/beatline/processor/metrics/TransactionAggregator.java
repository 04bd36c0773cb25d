package dev.beatline.processor.metrics;

import dev.beatline.model.TransactionEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;

/**
 * Aggregates transactions in memory per minute and group, with representative counts ({@code 1/sample_rate}),
 * so a batch becomes one merge per group. Pure; not thread-safe.
 */
public final class TransactionAggregator {

    /** A per-minute transaction group; ordered so writers lock rows in one global order. */
    public record GroupKey(long projectId, Instant bucket, String service, String environment, String type,
            String name, String result, String outcome) implements Comparable<GroupKey> {
        @Override
        public int compareTo(GroupKey o) {
            int c = Long.compare(projectId, o.projectId);
            if (c == 0) c = service.compareTo(o.service);
            if (c == 0) c = environment.compareTo(o.environment);
            if (c == 0) c = type.compareTo(o.type);
            if (c == 0) c = name.compareTo(o.name);
            if (c == 0) c = result.compareTo(o.result);
            if (c == 0) c = outcome.compareTo(o.outcome);
            if (c == 0) c = bucket.compareTo(o.bucket);
            return c;
        }
    }

    /** Sums of one group. */
    public static final class Stats {
        double count;
        double failures;
        double sumUs;
        long minUs = Long.MAX_VALUE;
        long maxUs = Long.MIN_VALUE;

        public double count() {
            return count;
        }

        public double failures() {
            return failures;
        }

        public double sumUs() {
            return sumUs;
        }

        public long minUs() {
            return minUs;
        }

        public long maxUs() {
            return maxUs;
        }
    }

    private final Map<GroupKey, Stats> groups = new TreeMap<>();

    /** Adds one transaction; transactions with a representative count of 0 (sample rate 0) do not count. */
    public void add(TransactionEvent t) {
        double n = t.representativeCount();
        if (n <= 0) {
            return;
        }
        GroupKey key = new GroupKey(t.header().projectId(), t.header().timestamp().truncatedTo(ChronoUnit.MINUTES),
                t.header().service().name(), nz(t.header().service().environment()), t.type(), nz(t.name()),
                nz(t.result()), t.outcome());
        Stats s = groups.computeIfAbsent(key, k -> new Stats());
        s.count += n;
        if ("failure".equals(t.outcome())) {
            s.failures += n;
        }
        s.sumUs += n * t.durationUs();
        s.minUs = Math.min(s.minUs, t.durationUs());
        s.maxUs = Math.max(s.maxUs, t.durationUs());
    }

    public Map<GroupKey, Stats> groups() {
        return groups;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
