package dev.beatline.processor;

import dev.beatline.infra.Database;
import dev.beatline.infra.SharedInfra;
import dev.beatline.model.CanonicalEvent;
import dev.beatline.model.ErrorEvent;
import dev.beatline.model.EventCodec;
import dev.beatline.model.EventHeader;
import dev.beatline.model.Service;
import dev.beatline.model.TestEvents;
import dev.beatline.model.Topics;
import dev.beatline.model.User;
import dev.beatline.processor.issues.ErrorEventPartitions;
import dev.beatline.processor.issues.ErrorEventWriter;
import dev.beatline.processor.issues.ErrorRetention;
import dev.beatline.processor.issues.ProjectGroupings;
import dev.beatline.processor.kafka.BatchConsumerLoop;
import dev.beatline.processor.kafka.DeadLetters;
import dev.beatline.processor.kafka.EventBatchHandler;
import dev.beatline.processor.kafka.OffsetStore;
import dev.beatline.processor.metrics.Partitions;
import dev.beatline.processor.metrics.Retention;
import dev.beatline.processor.traces.TraceHold;
import dev.beatline.processor.traces.TraceSampler;
import dev.beatline.processor.scrubbing.Scrubber;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.flywaydb.core.Flyway;

/**
 * Real-infrastructure helpers for the processor's integration tests and benchmark: a migrated database, a
 * pooled data source, a {@link BatchConsumerLoop} wired like {@link ProcessorService}, producers and counts.
 */
public final class ProcessorTestSupport {

    private ProcessorTestSupport() {
    }

    /** A fresh database with every migration applied (as the processor's Flyway does at start). */
    public static Database migratedDatabase(SharedInfra infra) {
        Database db = infra.newDatabase();
        Flyway.configure().dataSource(db.jdbcUrl(), db.username(), db.password()).locations("classpath:db/migration")
                .load().migrate();
        return db;
    }

    /** A small pool that validates connections on borrow (survives a PostgreSQL restart). */
    public static AgroalDataSource dataSource(String jdbcUrl, String user, String password) throws SQLException {
        return AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier().connectionPoolConfiguration(cp -> cp
                .maxSize(4).acquisitionTimeout(Duration.ofSeconds(5)).validateOnBorrow(true)
                .connectionValidator(AgroalConnectionPoolConfiguration.ConnectionValidator.defaultValidator())
                .connectionFactoryConfiguration(cf -> cf.jdbcUrl(jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?")
                        + "connectTimeout=3&socketTimeout=30").principal(new NamePrincipal(user))
                        .credential(new SimplePassword(password)))));
    }

    public static AgroalDataSource dataSource(Database db) throws SQLException {
        return dataSource(db.jdbcUrl(), db.username(), db.password());
    }

    /** The error writer with default settings (scrubbing on, rules checked every 5 s) and the given storage cap. */
    public static ErrorEventWriter errorWriter(int maxStoredPerIssueMinute) {
        return errorWriter(maxStoredPerIssueMinute, Duration.ofSeconds(5));
    }

    /** The error writer checking each project's grouping rules every {@code rulesRefresh}. */
    public static ErrorEventWriter errorWriter(int maxStoredPerIssueMinute, Duration rulesRefresh) {
        return new ErrorEventWriter(new ProjectGroupings(rulesRefresh), new Scrubber(true, List.of()),
                new ErrorEventPartitions(), maxStoredPerIssueMinute, ErrorRetention.DEFAULTS);
    }

    /** A consumer loop for the errors topic, wired like {@link ProcessorService}, storing 100 per issue minute. */
    public static BatchConsumerLoop errorLoop(String bootstrap, AgroalDataSource ds, String group,
            MeterRegistry registry, int maxPollRecords) {
        return errorLoop(bootstrap, ds, group, registry, maxPollRecords, 100);
    }

    /** A consumer loop for the errors topic storing at most {@code maxStoredPerIssueMinute} per issue minute. */
    public static BatchConsumerLoop errorLoop(String bootstrap, AgroalDataSource ds, String group,
            MeterRegistry registry, int maxPollRecords, int maxStoredPerIssueMinute) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                ProcessorService.consumerProperties(bootstrap, group, maxPollRecords), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        KafkaProducer<byte[], byte[]> dlq = new KafkaProducer<>(ProcessorService.dlqProducerProperties(bootstrap),
                new ByteArraySerializer(), new ByteArraySerializer());
        return new BatchConsumerLoop(consumer, ds, new OffsetStore(group), List.of(errorWriter(maxStoredPerIssueMinute)),
                new DeadLetters(dlq, group), new ProcessorMetrics(registry), Duration.ofMillis(100), Duration.ofMillis(100),
                Duration.ofSeconds(2));
    }

    /**
     * A consumer loop for errors, transactions and spans wired like {@link ProcessorService} (error writer,
     * metric writers, trace sampler with its in-memory hold of {@code holdTime}).
     */
    public static BatchConsumerLoop traceLoop(String bootstrap, AgroalDataSource ds, String group,
            MeterRegistry registry, int maxPollRecords, Duration holdTime) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                ProcessorService.consumerProperties(bootstrap, group, maxPollRecords), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        KafkaProducer<byte[], byte[]> dlq = new KafkaProducer<>(ProcessorService.dlqProducerProperties(bootstrap),
                new ByteArraySerializer(), new ByteArraySerializer());
        TraceSampler sampler = new TraceSampler(new Partitions(), Retention.DEFAULTS,
                TraceSampler.DEFAULT_PER_GROUP_MINUTE, new TraceHold(holdTime, 64 << 20));
        List<EventBatchHandler> handlers = new ArrayList<>();
        handlers.add(errorWriter(100));
        handlers.addAll(ProcessorService.traceHandlers(Retention.DEFAULTS, sampler));
        ProcessorMetrics metrics = new ProcessorMetrics(registry);
        metrics.traceHold(sampler.hold());
        return new BatchConsumerLoop(consumer, ds, new OffsetStore(group), handlers, List.of(sampler.hold()),
                new DeadLetters(dlq, group), metrics, Duration.ofMillis(100), Duration.ofMillis(100),
                Duration.ofSeconds(2));
    }

    /** Runs the loop on a daemon thread. */
    public static Thread start(BatchConsumerLoop loop, String name) {
        Thread t = new Thread(loop, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    public static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return new KafkaProducer<>(p, new org.apache.kafka.common.serialization.StringSerializer(),
                new ByteArraySerializer());
    }

    /** Creates the errors topic with the broker's default partitions unless it exists (avoids auto-create races). */
    public static void createErrorsTopic(String bootstrap) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(p)) {
            if (!admin.listTopics().names().get().contains(Topics.ERRORS)) {
                admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(Topics.ERRORS,
                        java.util.Optional.empty(), java.util.Optional.empty()))).all().get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                throw e;
            }
        }
    }

    public static void send(KafkaProducer<String, byte[]> producer, ErrorEvent e) {
        producer.send(new ProducerRecord<>(Topics.ERRORS, e.header().recordKey(), EventCodec.encode(e)));
    }

    public static long newProjectId() {
        return ThreadLocalRandom.current().nextLong(1_000_000, Long.MAX_VALUE / 2);
    }

    /**
     * A canonical error of {@code project} in issue {@code group} (a custom fingerprint), from {@code service}
     * and {@code release}, by {@code user}.
     */
    public static ErrorEvent error(long project, String service, int group, String release, String userId,
            Instant receivedAt) {
        ErrorEvent base = TestEvents.error(project, service);
        EventHeader h = base.header();
        Service s = new Service(service, release, "production", null, "java", null, null, null, null, null);
        EventHeader header = new EventHeader(h.schema(), UUID.randomUUID().toString().replace("-", ""), project,
                receivedAt, receivedAt.minusMillis(5), h.source(), s, h.agent(), h.host(),
                userId == null ? null : new User(userId, null, null, null), h.labels());
        return withHeader(base, header, List.of("group-" + group));
    }

    public static ErrorEvent withHeader(ErrorEvent e, EventHeader header, List<String> fingerprint) {
        return new ErrorEvent(header, e.trace(), e.level(), e.message(), e.paramMessage(), e.loggerName(), e.culprit(),
                e.exceptions(), e.logStacktrace(), fingerprint, e.platform(), e.transactionName(), e.transactionType(),
                e.request(), e.breadcrumbs(), e.contexts());
    }

    /** A single-row numeric answer. */
    public static long queryLong(Database db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
                Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A single-value text answer, or null when there is no row. */
    public static String queryText(Database db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
                Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** Applies {@code events} with {@code handler} in one transaction, as the consumer loop does for a batch. */
    public static void applyBatch(DataSource ds, EventBatchHandler handler, List<? extends CanonicalEvent> events)
            throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            handler.apply(c, new ArrayList<>(events));
            c.commit();
        }
    }

    public static void execute(Database db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
