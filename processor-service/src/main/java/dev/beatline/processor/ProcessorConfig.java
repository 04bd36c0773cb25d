package dev.beatline.processor;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Processor settings; each is also an environment variable (e.g. {@code BEATLINE_PROCESSOR_MAX_POLL_RECORDS}). */
@ConfigMapping(prefix = "beatline.processor")
public interface ProcessorConfig {

    /** Kafka consumer group: processors of one group share the partitions. */
    @WithDefault("beatline-processor")
    String consumerGroup();

    /** Most records applied in one PostgreSQL transaction. */
    @WithDefault("1000")
    int maxPollRecords();

    /** How long one poll waits for records; bounds how stale a quiet partition's data can be. */
    @WithDefault("100ms")
    Duration pollTimeout();

    /** First wait after a failed batch (PostgreSQL down); doubles up to {@link #maxRetryBackoff()}. */
    @WithDefault("200ms")
    Duration retryBackoff();

    @WithDefault("10s")
    Duration maxRetryBackoff();

    /** Whether the consumer loop starts with the service (tests of pure logic turn it off). */
    @WithDefault("true")
    boolean enabled();
}
