package dev.beatline.processor;

import dev.beatline.processor.traces.TraceHold;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Processor meters, exported at /q/metrics. Lag per owned partition is {@code beatline_processor_partition_lag
 * {topic,partition}}: records in Kafka not yet committed to PostgreSQL (the Kafka client's own
 * {@code records-lag} is measured from its fetch position, which runs ahead of what is stored).
 */
public class ProcessorMetrics {

    private final MeterRegistry registry;
    private final Timer commitTime;
    private final Timer eventAge;
    private final DistributionSummary batchSize;
    private final Map<String, PartitionLag> lags = new ConcurrentHashMap<>();

    private record PartitionLag(AtomicLong value, Gauge gauge) {
    }

    public ProcessorMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.commitTime = Timer.builder("beatline.processor.batch.commit")
                .description("Time to apply and commit one batch with its offsets").publishPercentileHistogram()
                .register(registry);
        this.eventAge = Timer.builder("beatline.processor.event.age")
                .description("Event age at commit: intake receipt to stored in PostgreSQL (freshness)")
                .publishPercentileHistogram().register(registry);
        this.batchSize = DistributionSummary.builder("beatline.processor.batch.size")
                .description("Records per applied batch").register(registry);
    }

    public void processed(String topic, int events) {
        Counter.builder("beatline.processor.events").description("Events applied, by topic")
                .tag("topic", topic).register(registry).increment(events);
    }

    public void deadLettered(String topic) {
        Counter.builder("beatline.processor.dead.letters").description("Undecodable records sent to the DLQ")
                .tag("topic", topic).register(registry).increment();
    }

    public void batchFailed(String reason) {
        Counter.builder("beatline.processor.batch.failures").description("Batches rolled back and retried")
                .tag("reason", reason).register(registry).increment();
    }

    public void committed(Duration took, int records) {
        commitTime.record(took);
        batchSize.record(records);
    }

    /** Sets the lag of a partition this processor owns. */
    public void partitionLag(String topic, int partition, long lag) {
        lags.computeIfAbsent(topic + "/" + partition, k -> {
            AtomicLong value = new AtomicLong();
            Gauge gauge = Gauge.builder("beatline.processor.partition.lag", value, AtomicLong::get)
                    .description("Records of an owned partition in Kafka not yet committed to PostgreSQL")
                    .tag("topic", topic).tag("partition", Integer.toString(partition)).register(registry);
            return new PartitionLag(value, gauge);
        }).value().set(lag);
    }

    /** Stops reporting the lag of a partition this processor no longer owns (its new owner reports it). */
    public void partitionRevoked(String topic, int partition) {
        PartitionLag lag = lags.remove(topic + "/" + partition);
        if (lag != null) {
            registry.remove(lag.gauge());
        }
    }

    /** Exports the trace hold's size and its dropped spans (read from the metrics thread: approximate). */
    public void traceHold(TraceHold hold) {
        Gauge.builder("beatline.processor.trace.hold.bytes", hold, TraceHold::heldBytes)
                .description("Bytes of spans and not-kept transactions held in memory for trace sampling")
                .register(registry);
        Gauge.builder("beatline.processor.trace.hold.spans", hold, TraceHold::heldSpans)
                .description("Spans held in memory for trace sampling").register(registry);
        FunctionCounter.builder("beatline.processor.trace.hold.dropped", hold, TraceHold::droppedExpired)
                .description("Held spans dropped: their transaction was not kept within the hold time, or memory cap")
                .tag("reason", "expired").register(registry);
        FunctionCounter.builder("beatline.processor.trace.hold.dropped", hold, TraceHold::droppedOverCap)
                .description("Held spans dropped: their transaction was not kept within the hold time, or memory cap")
                .tag("reason", "memory").register(registry);
    }

    public void eventAge(Duration age) {
        eventAge.record(age.isNegative() ? Duration.ZERO : age);
    }
}
