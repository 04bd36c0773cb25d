package dev.beatline.processor.issues;

import static dev.beatline.processor.ProcessorTestSupport.error;
import static dev.beatline.processor.ProcessorTestSupport.queryLong;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beatline.infra.Database;
import dev.beatline.infra.SharedInfra;
import dev.beatline.processor.ProcessorTestSupport;
import dev.beatline.processor.kafka.BatchConsumerLoop;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

/**
 * An ignored issue whose condition is met while two processors of one group write its events from different
 * partitions at once, and again when everything is redelivered: reopened once, one {@code set_escalating} row.
 */
class SnoozeKafkaIT {

    private final SharedInfra infra = SharedInfra.get();
    private final String bootstrap = infra.kafkaBootstrapServers();

    @Test
    void twoProcessorsAndARedeliveryReopenAnIgnoredIssueOnce() throws Exception {
        ProcessorTestSupport.createErrorsTopic(bootstrap);
        Database db = ProcessorTestSupport.migratedDatabase(infra);
        long p = ProcessorTestSupport.newProjectId();
        String group = "it-" + UUID.randomUUID();
        int events = 400;
        try (AgroalDataSource ds = ProcessorTestSupport.dataSource(db);
                AgroalDataSource ds2 = ProcessorTestSupport.dataSource(db)) {
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                ProcessorTestSupport.errorWriter(100).apply(c, List.of(error(p, "svc-0", 1, "1.0", null, Instant.now())));
                c.commit();
            }
            String where = " WHERE project_id = " + p;
            ProcessorTestSupport.execute(db, "UPDATE issues SET status = 'ignored', substatus = "
                    + "'archived_until_condition_met'" + where);
            ProcessorTestSupport.execute(db, "INSERT INTO issue_snoozes (project_id, issue_id, condition, ignored_at, "
                    + "event_count, times_seen_at_ignore, users_at_ignore, minute_events_at_ignore) SELECT project_id, "
                    + "id, 'until_count', now(), 50, times_seen, users_affected, 0 FROM issues" + where);

            SimpleMeterRegistry r1 = new SimpleMeterRegistry();
            SimpleMeterRegistry r2 = new SimpleMeterRegistry();
            BatchConsumerLoop a = ProcessorTestSupport.errorLoop(bootstrap, ds, group, r1, 20);
            BatchConsumerLoop b = ProcessorTestSupport.errorLoop(bootstrap, ds2, group, r2, 20);
            List<Thread> threads = new ArrayList<>(List.of(ProcessorTestSupport.start(a, "a"),
                    ProcessorTestSupport.start(b, "b")));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> a.ownedPartitions() > 0 && b.ownedPartitions() > 0);
            try (KafkaProducer<String, byte[]> producer = ProcessorTestSupport.producer(bootstrap)) {
                for (int i = 0; i < events; i++) { // 40 services: keys over every partition, one issue
                    ProcessorTestSupport.send(producer, error(p, "svc-" + (i % 40), 1, "1.0", null, Instant.now()));
                }
            }
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> queryLong(db, "SELECT times_seen FROM issues" + where) >= 1 + events);
            assertThat(r1.find("beatline.processor.events").counter().count()).as("a applied events").isPositive();
            assertThat(r2.find("beatline.processor.events").counter().count()).as("b applied events").isPositive();

            // redelivery of everything by a third loop of the same group
            a.stop();
            b.stop();
            for (Thread t : threads) {
                t.join(10_000);
            }
            ProcessorTestSupport.execute(db, "DELETE FROM consumer_offsets");
            BatchConsumerLoop again = ProcessorTestSupport.errorLoop(bootstrap, ds, group, new SimpleMeterRegistry(), 50);
            Thread t = ProcessorTestSupport.start(again, "again");
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> queryLong(db, "SELECT count(*) FROM consumer_offsets") > 0);
            Thread.sleep(3000);
            again.stop();
            t.join(10_000);

            assertThat(queryLong(db, "SELECT times_seen FROM issues" + where)).isEqualTo(1 + events);
            assertThat(queryLong(db, "SELECT count(*) FROM issues" + where
                    + " AND status = 'unresolved' AND substatus = 'escalating'")).isEqualTo(1);
            assertThat(queryLong(db, "SELECT count(*) FROM issue_activity" + where + " AND kind = 'set_escalating'"))
                    .isEqualTo(1);
            assertThat(queryLong(db, "SELECT (data ->> 'events_since_ignored')::bigint FROM issue_activity" + where
                    + " AND kind = 'set_escalating'")).isBetween(50L, (long) events);
            assertThat(queryLong(db, "SELECT count(*) FROM issue_snoozes" + where)).isZero();
        }
    }
}
