package dev.beatline.processor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** Processor meters, exported at /q/metrics. Lag per partition comes from the Kafka client's own metrics. */
public class ProcessorMetrics {

    private final MeterRegistry registry;
    private final Timer commitTime;
    private final Timer eventAge;
    private final DistributionSummary batchSize;

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

    public void eventAge(Duration age) {
        eventAge.record(age.isNegative() ? Duration.ZERO : age);
    }
}
