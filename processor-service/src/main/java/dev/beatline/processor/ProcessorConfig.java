package dev.beatline.processor;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Processor settings; each is also an environment variable (e.g. {@code BEATLINE_PROCESSOR_MAX_POLL_RECORDS}). */
@ConfigMapping(prefix = "beatline.processor")
public interface ProcessorConfig {

    /** Kafka consumer group: processors of one group share the partitions. */
    @WithDefault("beatline-processor")
    String consumerGroup();

    /**
     * Most records applied in one PostgreSQL transaction. Reached only under load or lag (see
     * {@link #batchWait()}); larger batches cost less per event, since a batch writes one row version per
     * touched metric row whatever its size.
     */
    @WithDefault("1000")
    int maxPollRecords();

    /**
     * Longest a fetch waits to gather a batch when few events arrive (Kafka's {@code fetch.max.wait.ms}, with
     * {@code fetch.min.bytes} 1 MiB): adds at most this much to receipt-to-visible latency at moderate rates,
     * nothing under load.
     */
    @WithDefault("200ms")
    Duration batchWait();

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

    /**
     * Most occurrences of one issue stored per minute of receipt; the rest are counted (times_seen, users,
     * per-minute counts stay exact) but their payload is not kept. Bounds storage under floods.
     */
    @WithDefault("100")
    int maxStoredPerIssueMinute();

    /** How often the processor looks for a closed hour whose metric hour rows it should build from the minutes. */
    @WithDefault("30s")
    Duration hourRollupInterval();

    /** How long after an hour ends its hour rows are built (later events of that hour are written through). */
    @WithDefault("2m")
    Duration hourRollupGrace();

    /** How often a project's grouping rules are checked for a change; a change applies within this time. */
    @WithDefault("5s")
    Duration groupingRulesRefresh();

    /** Days of error_events partitions created ahead of today (and one behind), at start and every hour. */
    @WithDefault("2")
    int partitionDaysAhead();

    /** Server-side scrubbing of secrets before anything is stored. */
    Scrub scrub();

    /** The in-memory hold of trace sampling ({@code beatline.processor.trace-hold.*}). */
    TraceHold traceHold();

    /**
     * Spans wait in memory for their transaction's keep/drop decision, and sampled transactions that were not
     * kept wait (with their spans) for an error that would promote them. After a restart the processor re-reads
     * the records still held, so the hold time also bounds that replay.
     */
    interface TraceHold {
        /**
         * Longest a span waits for its transaction (then it is dropped and counted, unless its transaction was
         * kept elsewhere), and longest a not-kept transaction can still be promoted by an error.
         */
        @WithDefault("60s")
        Duration time();

        /** Most bytes held (payloads plus bookkeeping); over it the oldest entries are released first. */
        @WithDefault("67108864")
        long maxBytes();
    }

    /** Scrubbing settings ({@code beatline.processor.scrub.*}). */
    interface Scrub {
        /** Whether secrets are scrubbed (Authorization/Cookie headers, sensitive fields, card numbers). */
        @WithDefault("true")
        boolean enabled();

        /** Field name fragments scrubbed in addition to the defaults (comma-separated), e.g. {@code ssn,iban}. */
        Optional<List<String>> extraFields();
    }
}
