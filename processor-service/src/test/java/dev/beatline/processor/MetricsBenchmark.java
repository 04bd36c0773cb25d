package dev.beatline.processor;

import dev.beatline.processor.metrics.AgentMetricsWriter;
import dev.beatline.infra.Database;
import dev.beatline.infra.SharedInfra;
import dev.beatline.model.Agent;
import dev.beatline.model.EventCodec;
import dev.beatline.model.EventHeader;
import dev.beatline.model.Service;
import dev.beatline.model.SpanEvent;
import dev.beatline.model.SourceProtocol;
import dev.beatline.model.TraceContext;
import dev.beatline.model.Topics;
import dev.beatline.model.TransactionEvent;
import dev.beatline.processor.kafka.BatchConsumerLoop;
import dev.beatline.processor.kafka.DeadLetters;
import dev.beatline.processor.kafka.EventBatchHandler;
import dev.beatline.processor.kafka.OffsetStore;
import dev.beatline.processor.metrics.HourRollup;
import dev.beatline.processor.metrics.Partitions;
import dev.beatline.processor.metrics.Retention;
import dev.beatline.processor.traces.TraceHold;
import dev.beatline.processor.traces.TraceSampler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import javax.sql.DataSource;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Benchmark of the metrics pipeline, not part of the normal test run (its name matches neither *Test nor *IT):
 * {@code ./mvnw -B -q -pl processor-service -am test -Dtest=MetricsBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * (options {@code -Dbench.transactions=100000 -Dbench.freshnessSeconds=30 -Dbench.maxPollRecords=1000
 * -Dbench.batchWaitMs=200 -Dbench.sampled=true
 * -Dbench.jfr=/tmp/throughput.jfr}; the consumer gets the processor's own settings). Real Kafka and PostgreSQL from
 * {@code infra}; the real {@link BatchConsumerLoop} with the processor's handlers.
 *
 * <ol>
 * <li>Throughput: N canonical transactions (5 services × 40 names × 3 outcomes, log-normal durations, a third
 * at sample rate 0.3) are produced first, then consumed; CPU = the consumer thread's CPU + JVM GC time + all
 * processes of this PostgreSQL server (/proc utime+stime, children included). Rate = N / that CPU.</li>
 * <li>Freshness: transactions produced at half the measured maximum rate with {@code receivedAt} = send time;
 * the age of each at the commit of its batch (the processor's event-age measurement) gives p50/p99.</li>
 * </ol>
 * Results are printed and written to {@code target/metrics-benchmark.txt}.
 */
class MetricsBenchmark {

    private static final long CLOCK_TICKS = 100;

    @Test
    void run() throws Exception {
        int n = Integer.getInteger("bench.transactions", 300_000);
        int freshnessSeconds = Integer.getInteger("bench.freshnessSeconds", 30);
        SharedInfra infra = SharedInfra.get();
        Database db = infra.newDatabase();
        Flyway.configure().dataSource(db.jdbcUrl(), db.username(), db.password()).locations("classpath:db/migration")
                .load().migrate();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.kafkaBootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(Topics.TRANSACTIONS, 4, (short) 1),
                    new NewTopic(Topics.SPANS, 4, (short) 1), new NewTopic(Topics.ERRORS, 4, (short) 1))).all().get();
        }
        Connection shared = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
        int postmaster = postmasterPid(shared);
        DataSource ds = singleConnection(shared);

        KafkaProducer<byte[], byte[]> producer = producer(infra.kafkaBootstrapServers());
        Random random = new Random(1);
        for (int i = 0; i < n; i++) {
            sendWithSpans(producer, transaction(random, Instant.now()));
        }
        producer.flush();

        AgeRecorder ages = new AgeRecorder();
        TraceSampler sampler = new TraceSampler(new Partitions(), Retention.DEFAULTS,
                TraceSampler.DEFAULT_PER_GROUP_MINUTE, new TraceHold(Duration.ofSeconds(60), 64 << 20));
        List<EventBatchHandler> handlers = new ArrayList<>(ProcessorService.traceHandlers(Retention.DEFAULTS, sampler));
        handlers.add(new AgentMetricsWriter());
        BatchConsumerLoop loop = new BatchConsumerLoop(consumer(infra.kafkaBootstrapServers()), ds,
                new OffsetStore("bench"),
                handlers, List.of(sampler.hold()), new DeadLetters(producer, "bench"), ages,
                Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(5));
        Thread thread = new Thread(loop, "bench-consumer");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        String jfr = System.getProperty("bench.jfr");
        Recording recording = null;
        if (jfr != null) { // CPU profile of the throughput phase (the forked test JVM is halted, so no dump on exit)
            recording = new Recording(Configuration.getConfiguration("profile"));
            recording.start();
        }
        long pg0 = postgresTicks(postmaster);
        long gc0 = gcMillis();
        long wall0 = System.nanoTime();
        thread.start();
        while (!ages.done(n)) {
            Thread.sleep(20);
        }
        long wallNs = System.nanoTime() - wall0;
        long loopCpuNs = threads.getThreadCpuTime(thread.getId());
        long gcMs = gcMillis() - gc0;
        long pgTicks = postgresTicks(postmaster) - pg0;
        if (recording != null) {
            recording.dump(Path.of(jfr));
            recording.close();
        }
        double maxRate = n / (wallNs / 1e9);
        long throughputBatches = ages.batches.get();

        // freshness at half the maximum rate
        double rate = maxRate / 2;
        ages.reset();
        long sent = 0;
        long start = System.nanoTime();
        while (System.nanoTime() - start < freshnessSeconds * 1_000_000_000L) {
            long due = (long) ((System.nanoTime() - start) / 1e9 * rate);
            for (; sent < due; sent++) {
                sendWithSpans(producer, transaction(random, Instant.now()));
            }
            Thread.sleep(5);
        }
        producer.flush();
        long expected = sent;
        long waitUntil = System.nanoTime() + 30_000_000_000L;
        while (!ages.done(expected) && System.nanoTime() < waitUntil) {
            Thread.sleep(20);
        }
        // read before the stop: closing the consumer revokes its partitions, which empties the hold
        String hold = String.format("hold: %d spans, %d bytes, dropped %d expired / %d over the memory cap",
                sampler.hold().heldSpans(), sampler.hold().heldBytes(), sampler.hold().droppedExpired(),
                sampler.hold().droppedOverCap());
        loop.stop();
        thread.join(10_000);
        producer.close();
        List<Long> sorted = ages.sorted();

        // the hour rows are built once their hour has closed (HourRollup): that work is counted in the throughput
        // figure, although it covers the freshness phase's minutes too
        long rollup0 = threads.getCurrentThreadCpuTime();
        long rollupPg0 = postgresTicks(postmaster);
        int hoursRolledUp;
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            hoursRolledUp = new HourRollup(new Partitions(), Retention.DEFAULTS).rollUp(c,
                    Instant.now().plus(Duration.ofHours(2)), Duration.ZERO);
            c.commit();
        }
        long rollupCpuNs = threads.getCurrentThreadCpuTime() - rollup0;
        pgTicks += postgresTicks(postmaster) - rollupPg0;
        double processorCpu = (loopCpuNs + rollupCpuNs) / 1e9 + gcMs / 1e3;
        double pgCpu = pgTicks / (double) CLOCK_TICKS;
        double perCpuSecond = n / (processorCpu + pgCpu);
        long rows;
        try (Statement s = shared.createStatement();
             ResultSet rs = s.executeQuery("SELECT sum(count) FROM transaction_metrics")) {
            rs.next();
            rows = Math.round(rs.getDouble(1));
        }

        StringBuilder out = new StringBuilder();
        out.append(String.format("transactions aggregated: %d in %.2f s wall (max rate %.0f/s), %d batches%n", n,
                wallNs / 1e9, maxRate, throughputBatches));
        out.append(String.format("CPU: processor %.2f s (consumer thread %.2f s + hour rollup of %d hour(s) %.2f s + GC "
                + "%.2f s), PostgreSQL %.2f s%n", processorCpu, loopCpuNs / 1e9, hoursRolledUp, rollupCpuNs / 1e9,
                gcMs / 1e3, pgCpu));
        out.append(String.format("spans per transaction: %d%n", SPANS_PER_TRANSACTION));
        out.append(String.format("=> %.0f transactions per CPU-second (processor + PostgreSQL)%n", perCpuSecond));
        out.append(String.format("freshness at %.0f/s for %d s (%d transactions, %d committed): receipt -> committed "
                + "p50 %d ms, p99 %d ms, max %d ms; %d batches%n", rate, freshnessSeconds, expected, sorted.size(),
                pct(sorted, 50), pct(sorted, 99), sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1),
                ages.batches.get()));
        out.append(String.format("representative count stored in transaction_metrics: %d (sent: %d)%n", rows,
                Math.round(SENT_REPRESENTATIVE.sum())));
        try (Statement s = shared.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT count(*) FROM trace_samples t WHERE (SELECT count(*) FROM trace_spans p
                 WHERE p.project_id = t.project_id AND p.transaction_id = t.transaction_id) < %d"""
                .formatted(SPANS_PER_TRANSACTION))) {
            rs.next();
            out.append(String.format("trace samples missing spans: %d; %s (before the stop)%n", rs.getLong(1), hold));
        }
        try (Statement s = shared.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT relname, seq_scan, seq_tup_read, idx_scan, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_live_tup,"
                        + " n_dead_tup, pg_total_relation_size(relid) FROM pg_stat_user_tables"
                        + " WHERE n_tup_ins + n_tup_upd > 0 ORDER BY relname")) {
            out.append("table: seq_scan seq_tup_read idx_scan inserted updated hot_updated live dead bytes%n".formatted());
            while (rs.next()) {
                out.append(rs.getString(1));
                for (int i = 2; i <= 10; i++) {
                    out.append(' ').append(rs.getLong(i));
                }
                out.append(System.lineSeparator());
            }
        }
        System.out.print(out);
        Files.writeString(Path.of("target", "metrics-benchmark.txt"), out.toString());
        shared.close();
    }

    /** Event ages at commit, in ms, as the consumer loop reports them. */
    private static final class AgeRecorder extends ProcessorMetrics {
        final AtomicLong count = new AtomicLong();
        final AtomicLong batches = new AtomicLong();
        final AtomicLong transactions = new AtomicLong();
        final AtomicLong spans = new AtomicLong();

        /** Whether all of {@code n} transactions and their spans are committed. */
        boolean done(long n) {
            return transactions.get() >= n && spans.get() >= n * SPANS_PER_TRANSACTION;
        }
        private List<Long> ages = Collections.synchronizedList(new ArrayList<>());

        AgeRecorder() {
            super(new SimpleMeterRegistry());
        }

        @Override
        public void eventAge(Duration age) {
            ages.add(age.toMillis());
            count.incrementAndGet();
        }

        @Override
        public void processed(String topic, int events) {
            (topic.equals(Topics.TRANSACTIONS) ? transactions : spans).addAndGet(events);
        }

        @Override
        public void committed(Duration took, int records) {
            batches.incrementAndGet();
        }

        void reset() {
            ages = Collections.synchronizedList(new ArrayList<>());
            count.set(0);
            batches.set(0);
            transactions.set(0);
            spans.set(0);
        }

        List<Long> sorted() {
            List<Long> copy = new ArrayList<>(ages);
            Collections.sort(copy);
            return copy;
        }
    }

    private static long pct(List<Long> sorted, double q) {
        return sorted.isEmpty() ? -1 : sorted.get((int) Math.ceil(q / 100 * sorted.size()) - 1);
    }

    private static final String[] OUTCOMES = {"success", "success", "failure"};
    /** {@code -Dbench.sampled=false}: unsampled transactions (metrics only, no trace sampling or buffering). */
    private static final boolean SAMPLED = Boolean.parseBoolean(System.getProperty("bench.sampled", "true"));

    private static TransactionEvent transaction(Random random, Instant now) {
        String service = "svc-" + random.nextInt(5);
        String id = Long.toHexString(random.nextLong());
        boolean sampledAt30 = random.nextInt(3) == 0;
        EventHeader h = new EventHeader(EventHeader.CURRENT_SCHEMA, id, 1, now, now, SourceProtocol.ELASTIC_APM,
                new Service(service, "1.0", "production", "node-1", "java", "17", null, null, null, null),
                new Agent("java", "1.55.1"), null, null, Map.of());
        return new TransactionEvent(h, new TraceContext(UUID.randomUUID().toString().replace("-", ""), id, null), id,
                "GET /api/" + random.nextInt(40), "request", "HTTP 2xx", OUTCOMES[random.nextInt(3)],
                Math.max(1, (long) Math.exp(Math.log(30_000) + random.nextGaussian())), SAMPLED,
                sampledAt30 ? 1 / 0.3 : 1, 3, 0, 200, null, List.of(), null);
    }

    /**
     * {@code -Dbench.spansPerTransaction=N} (default 0): each transaction comes with N exit spans to a database,
     * sent before it as agents do (a span is reported when it ends); they feed dependency metrics and the trace
     * buffer.
     */
    private static final int SPANS_PER_TRANSACTION = Integer.getInteger("bench.spansPerTransaction", 0);

    /** Σ representative count of the transactions sent, to check the stored total against. */
    private static final DoubleAdder SENT_REPRESENTATIVE = new DoubleAdder();

    private static void sendWithSpans(KafkaProducer<byte[], byte[]> producer, TransactionEvent t) {
        SENT_REPRESENTATIVE.add(t.representativeCount());
        byte[] key = t.header().recordKey().getBytes();
        for (int i = 0; i < SPANS_PER_TRANSACTION; i++) {
            EventHeader h = t.header();
            EventHeader sh = new EventHeader(h.schema(), t.id() + "-" + i, h.projectId(), h.receivedAt(), h.timestamp(),
                    h.source(), h.service(), h.agent(), null, null, Map.of());
            SpanEvent span = new SpanEvent(sh, new TraceContext(t.trace().traceId(), t.id(), t.id()), t.id() + "s" + i,
                    "SELECT FROM orders", "db", "postgresql", "query", "success", t.durationUs() / (SPANS_PER_TRANSACTION + 1),
                    (long) i * 100, t.representativeCount(), "postgresql", "postgresql", "orders", 0, 0, null);
            producer.send(new ProducerRecord<>(Topics.SPANS, key, EventCodec.encode(span)));
        }
        producer.send(new ProducerRecord<>(Topics.TRANSACTIONS, key, EventCodec.encode(t)));
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The processor's own consumer settings ({@link ProcessorService#consumerProperties}). */
    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
        Properties c = ProcessorService.consumerProperties(bootstrap, "bench",
                Integer.getInteger("bench.maxPollRecords", 1000),
                Duration.ofMillis(Long.getLong("bench.batchWaitMs", ProcessorService.DEFAULT_BATCH_WAIT.toMillis())));
        return new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** A DataSource handing out one kept-open connection (closing it is ignored), like a pool of one. */
    private static DataSource singleConnection(Connection c) {
        Connection keptOpen = (Connection) Proxy.newProxyInstance(MetricsBenchmark.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    try {
                        return method.invoke(c, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return (DataSource) Proxy.newProxyInstance(MetricsBenchmark.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        return keptOpen;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static int postmasterPid(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return ppid(rs.getInt(1));
        }
    }

    private static String[] stat(int pid) throws Exception {
        String s = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
        return s.substring(s.lastIndexOf(')') + 2).split(" "); // fields from 3 (state) on
    }

    private static int ppid(int pid) throws Exception {
        return Integer.parseInt(stat(pid)[1]);
    }

    /** utime+stime of the postmaster and its live children, plus the postmaster's reaped children (cutime+cstime). */
    private static long postgresTicks(int postmaster) throws Exception {
        String[] p = stat(postmaster);
        long ticks = Long.parseLong(p[11]) + Long.parseLong(p[12]) + Long.parseLong(p[13]) + Long.parseLong(p[14]);
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path d : (Iterable<Path>) dirs::iterator) {
                String name = d.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String[] s = stat(Integer.parseInt(name));
                    if (Integer.parseInt(s[1]) == postmaster) {
                        ticks += Long.parseLong(s[11]) + Long.parseLong(s[12]);
                    }
                } catch (java.io.IOException | RuntimeException gone) {
                    // the process ended while listing
                }
            }
        }
        return ticks;
    }

    private static long gcMillis() {
        long ms = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += Math.max(0, gc.getCollectionTime());
        }
        return ms;
    }
}
