package dev.beatline.processor.kafka;

import static dev.beatline.processor.ProcessorTestSupport.error;
import static dev.beatline.processor.ProcessorTestSupport.queryLong;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beatline.infra.Database;
import dev.beatline.infra.SharedInfra;
import dev.beatline.infra.TopicReader;
import dev.beatline.model.ErrorEvent;
import dev.beatline.model.Topics;
import dev.beatline.processor.ChildProcessor;
import dev.beatline.processor.ProcessorTestSupport;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once counting with real Kafka and PostgreSQL: redelivery, repeated event ids, poison records, two
 * processors in one group, a processor killed mid-batch, PostgreSQL restarted under load.
 */
class ExactlyOnceIT {

    private final SharedInfra infra = SharedInfra.get();
    private final String bootstrap = infra.kafkaBootstrapServers();

    private static String group() {
        return "it-" + UUID.randomUUID();
    }

    private static long timesSeen(Database db, long project) throws Exception {
        return queryLong(db, "SELECT coalesce(sum(times_seen), 0) FROM issues WHERE project_id = " + project);
    }

    private static void awaitExactly(Database db, long project, long expected) throws Exception {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> timesSeen(db, project) >= expected);
        Thread.sleep(1500); // anything counted twice would show up now
        assertThat(timesSeen(db, project)).isEqualTo(expected);
        assertThat(queryLong(db, "SELECT count(*) FROM error_event_ids WHERE project_id = " + project))
                .isEqualTo(expected);
    }

    /** Runs one error loop of a fresh group until {@code expected} events of the project are counted, then stops it. */
    private void runUntilCounted(Database db, long project, long expected, SimpleMeterRegistry registry) throws Exception {
        try (AgroalDataSource ds = ProcessorTestSupport.dataSource(db)) {
            BatchConsumerLoop loop = ProcessorTestSupport.errorLoop(bootstrap, ds, group(), registry, 500);
            Thread t = ProcessorTestSupport.start(loop, "p");
            awaitExactly(db, project, expected);
            loop.stop();
            t.join(10_000);
        }
    }

    /** The dead letters whose value contains {@code marker}. */
    private List<ConsumerRecord<String, byte[]>> deadLettersWith(String marker) {
        return TopicReader.read(bootstrap, Topics.DLQ, 1, Duration.ofSeconds(30),
                r -> new String(r.value(), StandardCharsets.UTF_8).contains(marker));
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    /** Sends {@code n} distinct events over {@code services} keys (so over many partitions) and 20 issues. */
    private List<ErrorEvent> produce(long project, int n, int services) {
        List<ErrorEvent> sent = new ArrayList<>(n);
        try (KafkaProducer<String, byte[]> producer = ProcessorTestSupport.producer(bootstrap)) {
            for (int i = 0; i < n; i++) {
                ErrorEvent e = error(project, "svc-" + (i % services), i % 20, "1.0", "u" + (i % 7), Instant.now());
                ProcessorTestSupport.send(producer, e);
                sent.add(e);
            }
        }
        return sent;
    }

    @Test
    void redeliveredBatchAndRepeatedEventIdCountOnce() throws Exception {
        Database db = ProcessorTestSupport.migratedDatabase(infra);
        long project = ProcessorTestSupport.newProjectId();
        List<ErrorEvent> sent = produce(project, 200, 3);
        try (KafkaProducer<String, byte[]> producer = ProcessorTestSupport.producer(bootstrap)) {
            for (int i = 0; i < 10; i++) { // an SDK retrying: same event ids again
                ProcessorTestSupport.send(producer, sent.get(i));
            }
        }
        String group = group();
        try (AgroalDataSource ds = ProcessorTestSupport.dataSource(db)) {
            BatchConsumerLoop loop = ProcessorTestSupport.errorLoop(bootstrap, ds, group, new SimpleMeterRegistry(), 50);
            Thread t = ProcessorTestSupport.start(loop, "p1");
            awaitExactly(db, project, 200);
            loop.stop();
            t.join(10_000);

            // redelivery: the stored positions go back to the start, everything is consumed again
            ProcessorTestSupport.execute(db, "DELETE FROM consumer_offsets");
            BatchConsumerLoop again = ProcessorTestSupport.errorLoop(bootstrap, ds, group, new SimpleMeterRegistry(), 50);
            Thread t2 = ProcessorTestSupport.start(again, "p2");
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> queryLong(db, "SELECT count(*) FROM consumer_offsets") > 0);
            Thread.sleep(3000);
            again.stop();
            t2.join(10_000);
            assertThat(timesSeen(db, project)).isEqualTo(200);
            // user i % 7 in issue i % 20: every (issue, user) pair of 200 events occurs, 20 * 7 distinct pairs
            assertThat(queryLong(db, "SELECT sum(users_affected) FROM issues WHERE project_id = " + project))
                    .isEqualTo(140);
        }
    }

    @Test
    void undecodableRecordGoesToTheDlqWithItsReasonAndDoesNotBlockThePartition() throws Exception {
        Database db = ProcessorTestSupport.migratedDatabase(infra);
        long project = ProcessorTestSupport.newProjectId();
        String marker = "poison-" + UUID.randomUUID();
        ErrorEvent before = error(project, "svc", 1, "1.0", null, Instant.now());
        ErrorEvent after = error(project, "svc", 1, "1.0", null, Instant.now());
        try (KafkaProducer<String, byte[]> producer = ProcessorTestSupport.producer(bootstrap)) {
            ProcessorTestSupport.send(producer, before);
            // same key as the good events: same partition
            producer.send(new ProducerRecord<>(Topics.ERRORS, before.header().recordKey(),
                    ("{not json " + marker).getBytes(StandardCharsets.UTF_8)));
            ProcessorTestSupport.send(producer, after);
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        runUntilCounted(db, project, 2, registry);
        List<ConsumerRecord<String, byte[]>> dlq = deadLettersWith(marker);
        assertThat(dlq).isNotEmpty();
        assertThat(header(dlq.get(0), "beatline.dlq.reason"))
                .contains("not a valid");
        assertThat(header(dlq.get(0), "beatline.dlq.topic"))
                .isEqualTo(Topics.ERRORS);
        assertThat(header(dlq.get(0), DeadLetters.ID_HEADER))
                .matches(Topics.ERRORS.replace(".", "\\.") + "-\\d+-\\d+");
        assertThat(registry.get("beatline.processor.dead.letters").counter().count()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aBatchRetriedAfterADatabaseFailureDoesNotDeadLetterItsPoisonRecordTwice() throws Exception {
        Database db = ProcessorTestSupport.migratedDatabase(infra);
        long project = ProcessorTestSupport.newProjectId();
        String marker = "poison-" + UUID.randomUUID();
        ErrorEvent good = error(project, "svc", 1, "1.0", null, Instant.now());
        // every batch transaction fails (not a data error: retried) until the trigger is dropped
        ProcessorTestSupport.execute(db, """
                CREATE FUNCTION refuse_offsets() RETURNS trigger LANGUAGE plpgsql AS
                  $$ BEGIN RAISE EXCEPTION 'database failing on purpose'; END $$;
                CREATE TRIGGER refuse_offsets BEFORE INSERT OR UPDATE ON consumer_offsets
                  FOR EACH ROW EXECUTE FUNCTION refuse_offsets()""");
        try (KafkaProducer<String, byte[]> producer = ProcessorTestSupport.producer(bootstrap)) {
            producer.send(new ProducerRecord<>(Topics.ERRORS, good.header().recordKey(),
                    ("{not json " + marker).getBytes(StandardCharsets.UTF_8)));
            ProcessorTestSupport.send(producer, good);
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        String group = group();
        try (AgroalDataSource ds = ProcessorTestSupport.dataSource(db)) {
            BatchConsumerLoop loop = ProcessorTestSupport.errorLoop(bootstrap, ds, group, registry, 500);
            Thread t = ProcessorTestSupport.start(loop, "p");
            await().atMost(Duration.ofSeconds(60)).until(() -> registry.find("beatline.processor.batch.failures")
                    .counters().stream().mapToDouble(c -> c.count()).sum() >= 3);
            ProcessorTestSupport.execute(db, "DROP TRIGGER refuse_offsets ON consumer_offsets");
            awaitExactly(db, project, 1);
            loop.stop();
            t.join(10_000);
        }
        List<ConsumerRecord<String, byte[]>> dlq = TopicReader.read(bootstrap, Topics.DLQ, 2, Duration.ofSeconds(10),
                r -> new String(r.value(), StandardCharsets.UTF_8).contains(marker)
                        && group.equals(new String(r.headers().lastHeader(DeadLetters.GROUP_HEADER).value(),
                                StandardCharsets.UTF_8))); // other groups (a running app) dead-letter it too
        assertThat(dlq).hasSize(1); // sent once although its batch was applied 3+ times
        assertThat(dlq.get(0).headers().lastHeader(DeadLetters.ID_HEADER)).isNotNull();
    }

    @Test
    void aRecordPostgresRefusesIsDeadLetteredAndTheRestOfItsBatchIsApplied() throws Exception {
        Database db = ProcessorTestSupport.migratedDatabase(infra);
        long project = ProcessorTestSupport.newProjectId();
        ErrorEvent good = error(project, "svc", 1, "1.0", null, Instant.now());
        ErrorEvent template = error(project, "svc", 2, "1.0", null, Instant.now());
        String marker = "nul-" + UUID.randomUUID();
        // decodes fine, but PostgreSQL cannot store a NUL character in text or jsonb
        ErrorEvent refused = new ErrorEvent(template.header(), template.trace(), template.level(),
                marker + "\u0000after", null, null, template.culprit(), template.exceptions(), template.logStacktrace(),
                template.fingerprint(), template.platform(), template.transactionName(), template.transactionType(),
                template.request(), template.breadcrumbs(), template.contexts());
        ErrorEvent later = error(project, "svc", 1, "1.0", null, Instant.now());
        try (KafkaProducer<String, byte[]> producer = ProcessorTestSupport.producer(bootstrap)) {
            ProcessorTestSupport.send(producer, good);
            ProcessorTestSupport.send(producer, refused);
            ProcessorTestSupport.send(producer, later);
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        runUntilCounted(db, project, 2, registry);
        List<ConsumerRecord<String, byte[]>> dlq = deadLettersWith(marker);
        assertThat(dlq).isNotEmpty();
        assertThat(header(dlq.get(0), "beatline.dlq.reason"))
                .startsWith("refused by PostgreSQL: SQLSTATE 22");
    }

    @Test
    void twoProcessorsInOneGroupSplitThePartitionsAndCountExactly() throws Exception {
        Database db = ProcessorTestSupport.migratedDatabase(infra);
        long project = ProcessorTestSupport.newProjectId();
        String group = group();
        SimpleMeterRegistry r1 = new SimpleMeterRegistry();
        SimpleMeterRegistry r2 = new SimpleMeterRegistry();
        try (AgroalDataSource ds1 = ProcessorTestSupport.dataSource(db);
                AgroalDataSource ds2 = ProcessorTestSupport.dataSource(db)) {
            BatchConsumerLoop a = ProcessorTestSupport.errorLoop(bootstrap, ds1, group, r1, 100);
            BatchConsumerLoop b = ProcessorTestSupport.errorLoop(bootstrap, ds2, group, r2, 100);
            Thread ta = ProcessorTestSupport.start(a, "a");
            Thread tb = ProcessorTestSupport.start(b, "b");
            // both must own partitions before the events arrive, or the first could apply them all alone
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> a.ownedPartitions() > 0 && b.ownedPartitions() > 0);
            produce(project, 3000, 40);
            awaitExactly(db, project, 3000);
            a.stop();
            b.stop();
            ta.join(10_000);
            tb.join(10_000);
        }
        double byA = r1.find("beatline.processor.events").counter().count();
        double byB = r2.find("beatline.processor.events").counter().count();
        assertThat(byA).as("first processor applied events").isPositive();
        assertThat(byB).as("second processor applied events").isPositive();
        assertThat(queryLong(db, "SELECT count(*) FROM issues WHERE project_id = " + project)).isEqualTo(20);
    }

    @Test
    void processorKilledMidBatchAndRestartedLeavesCountsExact() throws Exception {
        Database db = ProcessorTestSupport.migratedDatabase(infra);
        long project = ProcessorTestSupport.newProjectId();
        String group = group();
        produce(project, 20_000, 24);
        Process child = ChildProcessor.start(bootstrap, db, group, 200);
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> timesSeen(db, project) > 1000);
            child.destroyForcibly().waitFor(); // SIGKILL while consuming: no shutdown hook runs
        } finally {
            child.destroyForcibly();
        }
        assertThat(timesSeen(db, project)).isLessThan(20_000);
        Process restarted = ChildProcessor.start(bootstrap, db, group, 200);
        try {
            awaitExactly(db, project, 20_000);
        } finally {
            restarted.destroyForcibly().waitFor();
        }
    }

    @Test
    void postgresRestartedUnderLoadLosesNothingAndCountsNothingTwice() throws Exception {
        Database db = ProcessorTestSupport.migratedDatabase(infra);
        long project = ProcessorTestSupport.newProjectId();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (AgroalDataSource ds = ProcessorTestSupport.dataSource(db)) {
            BatchConsumerLoop loop = ProcessorTestSupport.errorLoop(bootstrap, ds, group(), registry, 100);
            Thread t = ProcessorTestSupport.start(loop, "p");
            Thread producer = new Thread(() -> produce(project, 6000, 12));
            producer.start();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> timesSeen(db, project) > 200);
            infra.stopPostgres();
            Thread.sleep(3000);
            assertThat(t.isAlive()).as("the loop keeps running while PostgreSQL is down").isTrue();
            infra.restartPostgres();
            producer.join();
            awaitExactly(db, project, 6000);
            assertThat(t.isAlive()).isTrue();
            assertThat(loop.healthy()).isTrue();
            loop.stop();
            t.join(10_000);
        }
        assertThat(registry.find("beatline.processor.batch.failures").counter()).isNotNull();
    }
}
