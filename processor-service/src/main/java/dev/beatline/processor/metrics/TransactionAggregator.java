package dev.beatline.processor.metrics;

import dev.beatline.model.TransactionEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

/**
 * Aggregates a batch of transactions in memory per minute: per transaction group (service, environment, type,
 * name, result, outcome) and per service (service, environment, type), counting each transaction as its
 * representative count ({@code 1/sample_rate}; unsampled transactions count too, sample rate 0 does not, as in
 * apm-server). A transaction's {@code dropped_spans_stats} go to the {@link DependencyAggregator}. Pure; not
 * thread-safe.
 */
public final class TransactionAggregator {

    private final Map<MetricKey, Measures> groups = new HashMap<>();
    private final Map<MetricKey, Measures> services = new HashMap<>();
    private final DependencyAggregator dependencies = new DependencyAggregator();

    public void add(TransactionEvent t) {
        double n = t.representativeCount();
        if (n <= 0) {
            return;
        }
        var h = t.header();
        Instant minute = minute(h.timestamp());
        String environment = h.service().environment();
        groups.computeIfAbsent(MetricKey.of(h.projectId(), minute, h.service().name(), environment, t.type(), t.name(),
                t.result(), t.outcome()), k -> new Measures()).record(t.durationUs(), n, t.outcome());
        services.computeIfAbsent(MetricKey.of(h.projectId(), minute, h.service().name(), environment, t.type()),
                k -> new Measures()).record(t.durationUs(), n, t.outcome());
        dependencies.addDroppedSpans(t);
    }

    /** Per-minute transaction groups, for {@link MetricTable#TRANSACTIONS}. */
    public Map<MetricKey, Measures> groups() {
        return groups;
    }

    /** Per-minute services, for {@link MetricTable#SERVICES}. */
    public Map<MetricKey, Measures> services() {
        return services;
    }

    /** Per-minute dependencies from dropped-spans stats, for {@link MetricTable#DEPENDENCIES}. */
    public Map<MetricKey, Measures> dependencies() {
        return dependencies.dependencies();
    }

    static Instant minute(Instant t) {
        return t.truncatedTo(ChronoUnit.MINUTES);
    }
}
