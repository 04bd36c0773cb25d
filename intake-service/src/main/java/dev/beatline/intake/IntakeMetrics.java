package dev.beatline.intake;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Intake metrics, exported at /q/metrics. Tags: protocol, project (slug; {@code unknown} before
 * authentication), status and reason ({@code ok}, {@code invalid_events}, {@code rate_limited},
 * {@code kafka_unavailable}, {@code request_too_large}, {@code unauthorized} …).
 */
@ApplicationScoped
public class IntakeMetrics {

    /** Project tag of requests refused before their project was known. */
    public static final String UNKNOWN_PROJECT = "unknown";

    private final MeterRegistry registry;
    private final AtomicInteger openStreams = new AtomicInteger();

    public IntakeMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("beatline.intake.open.streams", openStreams);
    }

    public void request(String protocol, String project, int status, String reason) {
        Counter.builder("beatline.intake.requests").description("Intake requests by protocol, project, status and reason")
                .tag("protocol", protocol).tag("project", project).tag("status", Integer.toString(status))
                .tag("reason", reason).register(registry).increment();
    }

    public void acceptedEvents(String protocol, String project, int events) {
        if (events > 0) {
            Counter.builder("beatline.intake.events.accepted").description("Events acknowledged by Kafka")
                    .tag("protocol", protocol).tag("project", project).register(registry).increment(events);
        }
    }

    public void rejectedEvents(String protocol, String project, String reason, int events) {
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

    /** @param kind {@code wire} (as sent, possibly compressed) or {@code decompressed} */
    public void bytesIn(String protocol, String kind, long bytes) {
        Counter.builder("beatline.intake.bytes").description("Request body bytes read").baseUnit("bytes")
                .tag("protocol", protocol).tag("kind", kind).register(registry).increment(bytes);
    }

    public void produceLatency(String protocol, Duration d) {
        Timer.builder("beatline.intake.produce.latency")
                .description("Time from the end of a request body until Kafka acknowledged all its events")
                .tag("protocol", protocol).publishPercentileHistogram().register(registry).record(d);
    }

    public void streamOpened() {
        openStreams.incrementAndGet();
    }

    public void streamClosed() {
        openStreams.decrementAndGet();
    }
}
