package dev.beatline.intake;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Intake counters, exported at /q/metrics. Tags stay low-cardinality: protocol, status, reason, project. */
@ApplicationScoped
public class IntakeMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger openStreams = new AtomicInteger();

    public IntakeMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("beatline.intake.open.streams", openStreams);
    }

    public void request(String protocol, int status) {
        Counter.builder("beatline.intake.requests").description("Intake requests by protocol and status")
                .tag("protocol", protocol).tag("status", Integer.toString(status)).register(registry).increment();
    }

    public void accepted(String protocol, String project, int events) {
        if (events > 0) {
            Counter.builder("beatline.intake.events.accepted").description("Events acknowledged by Kafka")
                    .tag("protocol", protocol).tag("project", project).register(registry).increment(events);
        }
    }

    public void rejected(String protocol, String project, String reason, int events) {
        if (events > 0) {
            Counter.builder("beatline.intake.events.rejected").description("Events refused, by reason")
                    .tag("protocol", protocol).tag("project", project).tag("reason", reason).register(registry)
                    .increment(events);
        }
    }

    /** Data an SDK reports it dropped before sending (Sentry client reports), by reason and category. */
    public void sdkDiscarded(String protocol, String reason, String category, long quantity) {
        if (quantity > 0) {
            Counter.builder("beatline.intake.sdk.discarded").description("Events SDKs report they dropped")
                    .tag("protocol", protocol).tag("reason", reason).tag("category", category).register(registry)
                    .increment(quantity);
        }
    }

    public void bytesIn(String protocol, long bytes) {
        Counter.builder("beatline.intake.bytes").description("Decompressed request bytes read")
                .tag("protocol", protocol).register(registry).increment(bytes);
    }

    public void produceLatency(Duration d) {
        Timer.builder("beatline.intake.produce.latency").description("Time from end of request body to Kafka acks")
                .publishPercentileHistogram().register(registry).record(d);
    }

    public void streamOpened() {
        openStreams.incrementAndGet();
    }

    public void streamClosed() {
        openStreams.decrementAndGet();
    }
}
