package dev.beatline.processor.traces;

import static dev.beatline.processor.ProcessorTestSupport.queryLong;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beatline.infra.BeatlineTestResource;
import dev.beatline.infra.Database;
import dev.beatline.infra.SharedInfra;
import dev.beatline.model.CanonicalEvent;
import dev.beatline.model.EventCodec;
import dev.beatline.model.SpanEvent;
import dev.beatline.model.Topics;
import dev.beatline.model.TraceContext;
import dev.beatline.model.TransactionEvent;
import dev.beatline.processor.ChildProcessor;
import dev.beatline.processor.ProcessorTestSupport;
import dev.beatline.processor.kafka.BatchConsumerLoop;
import dev.beatline.processor.metrics.MetricsDatabase;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Spans wait in the processor's memory for their transaction, with real Kafka and PostgreSQL: processors in one group
 * each see their services' spans and transactions (range assignment over equally partitioned topics); a
 * processor killed with SIGKILL while holding spans (and stopped again while rebuilding) rebuilds the hold on
 * restart by re-reading from the stored replay position, without counting anything twice.
 */
class HeldSpansIT {

    private static final int TRANSACTIONS = 2_000;
    private static final int SPANS_PER_TRANSACTION = 2;

    private final SharedInfra infra = SharedInfra.get();
    private final String bootstrap = infra.kafkaBootstrapServers();

    @Test
    void spansHeldWhenTheProcessorIsKilledReachTheirKeptTransactionsAfterRestartAndCountsStayExact() throws Exception {
        infra.ensureTopics(BeatlineTestResource.TEST_PARTITIONS, Topics.ERRORS, Topics.TRANSACTIONS, Topics.SPANS);
        Database db = ProcessorTestSupport.migratedDatabase(infra);
        long project = ProcessorTestSupport.newProjectId();
        String group = "it-" + UUID.randomUUID();
        Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        List<TransactionEvent> transactions = new ArrayList<>();
        for (int i = 0; i < TRANSACTIONS; i++) { // 8 services (spread over partitions) x 25 names: 200 groups
            transactions.add(transaction(project, "svc-" + (i % 8), "GET /n" + (i % 25), minute.plusMillis(i), 1_000 + i));
        }
        List<TransactionEvent> first = transactions.subList(0, TRANSACTIONS / 2);
        List<TransactionEvent> second = transactions.subList(TRANSACTIONS / 2, TRANSACTIONS);
        try (KafkaProducer<String, byte[]> producer = ProcessorTestSupport.producer(bootstrap)) {
            for (TransactionEvent t : transactions) { // every span first, as agents report them when they end
                for (int s = 0; s < SPANS_PER_TRANSACTION; s++) {
                    send(producer, Topics.SPANS, span(t, s));
                }
            }
            first.forEach(t -> send(producer, Topics.TRANSACTIONS, t));
        }

        Process child = ChildProcessor.startTraces(bootstrap, db, group, 200);
        try { // the first half counted: the spans of the second half wait in the child's memory only
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                    .until(() -> transactionCount(db, project) >= first.size()
                            && dependencyCount(db, project) >= (long) TRANSACTIONS * SPANS_PER_TRANSACTION);
            child.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook runs
        } finally {
            child.destroyForcibly();
        }
        assertThat(queryLong(db, "SELECT count(*) FROM trace_samples WHERE project_id = " + project + " AND "
                + "transaction_id IN (" + ids(second) + ")")).as("no transaction of the second half seen yet").isZero();

        // stopped again while rebuilding its memory (small batches, after its first one): what it has not re-read
        // yet must stay in the stored replay range
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (AgroalDataSource ds = ProcessorTestSupport.dataSource(db)) {
            BatchConsumerLoop rebuilding = ProcessorTestSupport.traceLoop(bootstrap, ds, group, registry, 20,
                    Duration.ofSeconds(60));
            Thread thread = ProcessorTestSupport.start(rebuilding, "rebuilding");
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(5))
                    .until(() -> registry.find("beatline.processor.batch.commit").timer() != null
                            && registry.find("beatline.processor.batch.commit").timer().count() > 0);
            rebuilding.stop();
            thread.join(10_000);
        }

        try (KafkaProducer<String, byte[]> producer = ProcessorTestSupport.producer(bootstrap)) {
            second.forEach(t -> send(producer, Topics.TRANSACTIONS, t));
        }
        Process restarted = ChildProcessor.startTraces(bootstrap, db, group, 200);
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> transactionCount(db, project) >= TRANSACTIONS);
            Thread.sleep(1500); // anything counted twice or written late would show up now
        } finally {
            restarted.destroyForcibly().waitFor();
        }

        assertThat(transactionCount(db, project)).isEqualTo(TRANSACTIONS);
        assertThat(dependencyCount(db, project)).as("replayed spans are not counted again")
                .isEqualTo((long) TRANSACTIONS * SPANS_PER_TRANSACTION);
        long keptSecond = queryLong(db, "SELECT count(*) FROM trace_samples WHERE project_id = " + project
                + " AND transaction_id IN (" + ids(second) + ")");
        assertThat(keptSecond).as("the second half's slowest are kept").isGreaterThan(0);
        assertThat(queryLong(db, """
                SELECT count(*) FROM trace_samples s
                 WHERE s.project_id = %d AND (SELECT count(*) FROM trace_spans p
                        WHERE p.project_id = s.project_id AND p.transaction_id = s.transaction_id) <> %d"""
                .formatted(project, SPANS_PER_TRANSACTION))).as("kept transactions missing spans").isZero();
        assertThat(queryLong(db, """
                SELECT count(*) FROM trace_spans p WHERE p.project_id = %d AND NOT EXISTS (SELECT 1 FROM trace_samples s
                        WHERE s.project_id = p.project_id AND s.transaction_id = p.transaction_id)"""
                .formatted(project))).as("spans of transactions not kept").isZero();
    }

    @Test
    void processorsInOneGroupEachGetAServicesSpansWithItsTransactions() throws Exception {
        infra.ensureTopics(BeatlineTestResource.TEST_PARTITIONS, Topics.ERRORS, Topics.TRANSACTIONS, Topics.SPANS);
        Database db = ProcessorTestSupport.migratedDatabase(infra);
        long project = ProcessorTestSupport.newProjectId();
        String group = "it-" + UUID.randomUUID();
        Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        java.util.Map<String, Integer> perGroup = new java.util.HashMap<>();
        // three, so that an assignor that does not co-locate cannot line partition numbers up by chance
        List<SimpleMeterRegistry> registries = new ArrayList<>();
        List<AgroalDataSource> pools = new ArrayList<>();
        List<BatchConsumerLoop> loops = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                registries.add(new SimpleMeterRegistry());
                pools.add(ProcessorTestSupport.dataSource(db));
                loops.add(ProcessorTestSupport.traceLoop(bootstrap, pools.get(i), group, registries.get(i), 100,
                        Duration.ofSeconds(60)));
                threads.add(ProcessorTestSupport.start(loops.get(i), "p" + i));
            }
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> loops.stream().allMatch(l -> l.ownedPartitions() > 0));
            try (KafkaProducer<String, byte[]> producer = ProcessorTestSupport.producer(bootstrap)) {
                for (int i = 0; i < 1_000; i++) { // 16 services over the partitions, 10 names
                    TransactionEvent t = transaction(project, "svc-" + (i % 16), "GET /n" + (i % 10),
                            minute.plusMillis(i), 1_000 + i);
                    perGroup.merge(t.header().service().name() + " " + t.name(), 1, Integer::sum);
                    for (int s = 0; s < SPANS_PER_TRANSACTION; s++) {
                        send(producer, Topics.SPANS, span(t, s));
                    }
                    send(producer, Topics.TRANSACTIONS, t);
                }
            }
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> transactionCount(db, project) >= 1_000
                            && dependencyCount(db, project) >= 1_000L * SPANS_PER_TRANSACTION);
            Thread.sleep(1000);
        } finally {
            loops.forEach(BatchConsumerLoop::stop);
            for (Thread t : threads) {
                t.join(10_000);
            }
            for (AgroalDataSource pool : pools) {
                pool.close();
            }
        }
        long withSpans = registries.stream()
                .filter(r -> r.find("beatline.processor.events").tag("topic", Topics.SPANS).counter() != null).count();
        assertThat(withSpans).as("processors that applied spans").isGreaterThanOrEqualTo(2);
        assertThat(transactionCount(db, project)).isEqualTo(1_000);
        assertThat(queryLong(db, "SELECT count(*) FROM trace_samples WHERE project_id = " + project))
                .isEqualTo(perGroup.values().stream()
                        .mapToLong(n -> Math.min(n, TraceSampler.DEFAULT_PER_GROUP_MINUTE)).sum());
        assertThat(queryLong(db, """
                SELECT count(*) FROM trace_samples s
                 WHERE s.project_id = %d AND (SELECT count(*) FROM trace_spans p
                        WHERE p.project_id = s.project_id AND p.transaction_id = s.transaction_id) <> %d"""
                .formatted(project, SPANS_PER_TRANSACTION))).as("kept transactions missing spans").isZero();
    }

    private static long transactionCount(Database db, long project) throws Exception {
        return queryLong(db, "SELECT coalesce(sum(count), 0)::int8 FROM transaction_metrics WHERE project_id = " + project);
    }

    private static long dependencyCount(Database db, long project) throws Exception {
        return queryLong(db, "SELECT coalesce(sum(count), 0)::int8 FROM dependency_metrics WHERE project_id = " + project);
    }

    private static String ids(List<TransactionEvent> ts) {
        return String.join(",", ts.stream().map(t -> "'" + t.id() + "'").toList());
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, CanonicalEvent e) {
        producer.send(new ProducerRecord<>(topic, e.header().recordKey(), EventCodec.encode(e)));
    }

    private static TransactionEvent transaction(long project, String service, String name, Instant at, long durationUs) {
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        return new TransactionEvent(MetricsDatabase.header(project, service, at),
                new TraceContext(UUID.randomUUID().toString().replace("-", ""), id, null), id, name, "request",
                "HTTP 2xx", "success", durationUs, true, 1, SPANS_PER_TRANSACTION, 0, 200, null, List.of(), null);
    }

    private static SpanEvent span(TransactionEvent t, int n) {
        return new SpanEvent(MetricsDatabase.header(t.header().projectId(), t.header().service().name(),
                t.header().timestamp()), new TraceContext(t.trace().traceId(), t.id(), t.id()), t.id() + "-" + n,
                "SELECT", "db", "postgresql", "query", "success", 100, 10L, 1, "postgresql", "postgresql", null, 1, 0,
                null);
    }
}
