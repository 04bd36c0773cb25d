package dev.beatline.processor;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Live while the consumer thread runs; a failing batch (PostgreSQL down) is reported but is not fatal. */
@Liveness
@ApplicationScoped
public class ProcessorHealth implements HealthCheck {

    private final ProcessorService service;
    private final ProcessorConfig config;

    public ProcessorHealth(ProcessorService service, ProcessorConfig config) {
        this.service = service;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        var b = HealthCheckResponse.named("consumer-loop");
        if (!config.enabled()) {
            return b.up().withData("enabled", false).build();
        }
        boolean alive = service.threadAlive();
        var loop = service.loop();
        return b.status(alive)
                .withData("batches_succeeding", loop != null && loop.healthy())
                .withData("last_progress", loop == null ? "never" : loop.lastProgress().toString())
                .build();
    }
}
