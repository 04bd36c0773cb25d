package dev.beatline.processor;

import dev.beatline.model.Topics;
import dev.beatline.processor.issues.ErrorEventPartitions;
import dev.beatline.processor.issues.ErrorEventWriter;
import dev.beatline.processor.issues.ErrorRetention;
import dev.beatline.processor.issues.ProjectGroupings;
import dev.beatline.processor.kafka.BatchConsumerLoop;
import dev.beatline.processor.kafka.CoPartitioning;
import dev.beatline.processor.kafka.DeadLetters;
import dev.beatline.processor.kafka.EventBatchHandler;
import dev.beatline.processor.kafka.OffsetStore;
import dev.beatline.processor.metrics.AgentMetricsWriter;
import dev.beatline.processor.metrics.Partitions;
import dev.beatline.processor.metrics.Retention;
import dev.beatline.processor.metrics.SpanMetricsWriter;
import dev.beatline.processor.metrics.TransactionMetricsWriter;
import dev.beatline.processor.scrubbing.Scrubber;
import dev.beatline.processor.sentry.AttachmentWriter;
import dev.beatline.processor.sentry.ClientReportWriter;
import dev.beatline.processor.sentry.FeedbackWriter;
import dev.beatline.processor.sentry.SessionWriter;
import dev.beatline.processor.traces.ErroredTransactionPromoter;
import dev.beatline.processor.traces.TraceHold;
import dev.beatline.processor.traces.TraceSampler;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Wires the consumer loop to Kafka, PostgreSQL and the handlers, and runs it on its own thread. */
@ApplicationScoped
public class ProcessorService {

    private static final Logger LOG = Logger.getLogger(ProcessorService.class);

    private final ProcessorConfig config;
    private final AgroalDataSource dataSource;
    private final MeterRegistry registry;
    private final String bootstrapServers;
    private BatchConsumerLoop loop;
    private Thread thread;
    private KafkaProducer<byte[], byte[]> dlqProducer;
    private ScheduledExecutorService maintenance;
    private final ErrorEventPartitions partitions = new ErrorEventPartitions();

    public ProcessorService(ProcessorConfig config, AgroalDataSource dataSource, MeterRegistry registry,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.config = config;
        this.dataSource = dataSource;
        this.registry = registry;
        this.bootstrapServers = bootstrapServers;
    }

    /** {@link ProcessorConfig#batchWait()}'s default, for callers without a config. */
    public static final Duration DEFAULT_BATCH_WAIT = Duration.ofMillis(200);
    /** Bytes a fetch waits for (up to the batch wait) before it returns: about a few thousand events. */
    static final int BATCH_MIN_BYTES = 1 << 20;

    /** {@link #consumerProperties(String, String, int, Duration)} with the default batch wait. */
    public static Properties consumerProperties(String bootstrapServers, String group, int maxPollRecords) {
        return consumerProperties(bootstrapServers, group, maxPollRecords, DEFAULT_BATCH_WAIT);
    }

    /**
     * Consumer settings: no auto-commit (positions live in PostgreSQL), read_committed, range assignment (equal
     * partition numbers of all topics go to one consumer, so a service's spans, transactions and errors meet in
     * one process; see {@link CoPartitioning}). Range is an eager protocol: a rebalance revokes every partition
     * and the new owners rebuild their held trace state by replay.
     * Batches size themselves to the load: the broker holds a fetch until {@value #BATCH_MIN_BYTES} bytes are
     * there or {@code batchWait} has passed, so at moderate rates a batch gathers {@code batchWait} worth of
     * events (each batch costs a row version per touched metric row whatever its size), and under load or lag
     * fetches return at once, full, up to {@code maxPollRecords} per batch.
     */
    public static Properties consumerProperties(String bootstrapServers, String group, int maxPollRecords,
            Duration batchWait) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        c.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, BATCH_MIN_BYTES);
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) batchWait.toMillis());
        c.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
        return c;
    }

    /** Producer settings for the dead-letter topic: acks from all replicas, idempotent. */
    public static Properties dlqProducerProperties(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return p;
    }

    /** The handlers, in the order they apply a batch (errors first, so a transaction sees its error). */
    List<EventBatchHandler> handlers(TraceSampler sampler) {
        List<EventBatchHandler> all = new ArrayList<>();
        all.add(errorEventWriter(config, partitions));
        all.addAll(traceHandlers(Retention.fromConfig(), sampler));
        all.addAll(List.of(new AgentMetricsWriter(), new SessionWriter(), new FeedbackWriter(),
                new ClientReportWriter(), new AttachmentWriter()));
        return all;
    }

    /** The trace sampler as configured, with its in-memory hold. */
    public static TraceSampler traceSampler(ProcessorConfig config) {
        return new TraceSampler(new Partitions(), Retention.fromConfig(), TraceSampler.DEFAULT_PER_GROUP_MINUTE,
                new TraceHold(config.traceHold().time(), config.traceHold().maxBytes()));
    }

    /**
     * The transaction and span metric writers and the error promoter, sharing {@code sampler} (after the error
     * writer in a batch).
     */
    public static List<EventBatchHandler> traceHandlers(Retention retention, TraceSampler sampler) {
        Partitions partitions = new Partitions();
        return List.of(new ErroredTransactionPromoter(sampler), new TransactionMetricsWriter(retention, partitions, sampler),
                new SpanMetricsWriter(retention, partitions, sampler));
    }

    /** Warns when the co-located topics have different partition counts (checked once at start). */
    private void checkCoPartitioning() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers);
        List<String> topics = List.of(Topics.ERRORS, Topics.TRANSACTIONS, Topics.SPANS);
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            List<String> present = topics.stream().filter(existing::contains).toList();
            Map<String, Integer> counts = new HashMap<>();
            admin.describeTopics(present).allTopicNames().get(10, TimeUnit.SECONDS)
                    .forEach((name, d) -> counts.put(name, d.partitions().size()));
            CoPartitioning.check(counts).ifPresent(LOG::warn);
            if (present.size() < topics.size()) {
                LOG.infof("topics %s do not exist yet: their partition counts are not checked", topics.stream()
                        .filter(t -> !existing.contains(t)).toList());
            }
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warnf("cannot check the partition counts of %s: %s", topics, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The error handler as configured. */
    public static ErrorEventWriter errorEventWriter(ProcessorConfig config, ErrorEventPartitions partitions) {
        return new ErrorEventWriter(new ProjectGroupings(config.groupingRulesRefresh()),
                new Scrubber(config.scrub().enabled(), config.scrub().extraFields().orElse(List.of())), partitions,
                config.maxStoredPerIssueMinute(), ErrorRetention.fromConfig());
    }

    /** Creates the occurrence partitions of yesterday .. today + partitionDaysAhead; logged, never fatal. */
    void createPartitionsAhead() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            partitions.createAround(c, LocalDate.now(ZoneOffset.UTC), 1, config.partitionDaysAhead());
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("cannot create error_events partitions ahead (retried within the hour): %s", e.toString());
        }
    }

    void onStart(@Observes StartupEvent ev) {
        if (!config.enabled()) {
            return;
        }
        createPartitionsAhead();
        checkCoPartitioning();
        maintenance = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "beatline-partitions"));
        maintenance.scheduleAtFixedRate(this::createPartitionsAhead, 1, 1, TimeUnit.HOURS);
        Properties c = consumerProperties(bootstrapServers, config.consumerGroup(), config.maxPollRecords(),
                config.batchWait());
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "beatline-processor");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        new KafkaClientMetrics(consumer).bindTo(registry);

        Properties p = dlqProducerProperties(bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "beatline-processor-dlq");
        dlqProducer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());

        TraceSampler sampler = traceSampler(config);
        List<EventBatchHandler> handlers = handlers(sampler);
        ProcessorMetrics metrics = new ProcessorMetrics(registry);
        metrics.traceHold(sampler.hold());
        loop = new BatchConsumerLoop(consumer, dataSource, new OffsetStore(config.consumerGroup()), handlers,
                List.of(sampler.hold()), new DeadLetters(dlqProducer, config.consumerGroup()), metrics,
                config.pollTimeout(), config.retryBackoff(), config.maxRetryBackoff());
        thread = new Thread(() -> {
            try {
                loop.run();
            } catch (RuntimeException e) {
                LOG.error("consumer loop stopped", e);
            }
        }, "beatline-consumer");
        thread.start();
        LOG.infof("consuming %s as group %s", handlers.stream().map(EventBatchHandler::topic).distinct().toList(),
                config.consumerGroup());
    }

    void onStop(@Observes ShutdownEvent ev) throws InterruptedException {
        if (maintenance != null) {
            maintenance.shutdownNow();
        }
        if (loop != null) {
            loop.stop();
            thread.join(Duration.ofSeconds(10).toMillis());
            dlqProducer.close(Duration.ofSeconds(5));
        }
    }

    /** The running loop, or null when disabled. */
    public BatchConsumerLoop loop() {
        return loop;
    }

    public boolean threadAlive() {
        return thread != null && thread.isAlive();
    }
}
