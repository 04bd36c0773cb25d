package dev.beatline.processor.kafka;

import dev.beatline.model.CanonicalEvent;
import dev.beatline.model.EventCodec;
import dev.beatline.model.EventDecodingException;
import dev.beatline.processor.ProcessorMetrics;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * The processor's consume–apply–commit loop. Each polled batch is decoded, applied by the topic handlers and
 * its offsets advanced, all in <em>one</em> PostgreSQL transaction; positions are read back from PostgreSQL on
 * every partition assignment. So a batch is applied exactly once even across crashes and rebalances. When
 * the transaction fails (PostgreSQL down) the consumer seeks back and retries with backoff: it reads only as
 * fast as PostgreSQL commits and never skips data. Undecodable records go to the DLQ and do not block; a retried
 * batch does not send them again, but a crash or rebalance between the DLQ send and the commit does (see
 * {@link DeadLetters}: at-least-once, deduplicated by the {@value DeadLetters#ID_HEADER} header).
 * Kafka's own committed offsets are written after each commit only so that lag exporters see progress.
 *
 * <p>Handlers may hold records in memory beyond their batch ({@link HeldRecords}, e.g. spans waiting for their
 * transaction). With each batch the loop stores, per partition, the lowest offset still held
 * ({@code replay_from}); on assignment it seeks there and hands the records below the applied position to
 * {@link EventBatchHandler#replay} (rebuild only, nothing counted), the rest to the handlers as usual. A failed
 * batch rolls the held state back with its transaction, so a retry starts from the committed state.
 */
public final class BatchConsumerLoop implements Runnable {

    private static final Logger LOG = Logger.getLogger(BatchConsumerLoop.class);
    /** How often the lag of the owned partitions is measured (one ListOffsets request to the brokers). */
    private static final Duration LAG_INTERVAL = Duration.ofSeconds(5);

    private final Consumer<byte[], byte[]> consumer;
    private final DataSource dataSource;
    private final OffsetStore offsets;
    /** Handlers by topic, in the order given (several may consume one topic; each sees its events in order). */
    private final Map<String, List<EventBatchHandler>> handlers;
    private final List<HeldRecords> holds;
    private final DeadLetters deadLetters;
    private final ProcessorMetrics metrics;
    private final Duration pollTimeout;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    /** Position each owned partition is known to be at in PostgreSQL (absent: never stored). */
    private final Map<TopicPartition, OffsetStore.Position> stored = new ConcurrentHashMap<>();
    private final Set<TopicPartition> needsReload = ConcurrentHashMap.newKeySet();
    /** Of {@link #needsReload}: partitions whose held state is gone, so they are re-read from replay_from. */
    private final Set<TopicPartition> needsReplay = ConcurrentHashMap.newKeySet();
    /**
     * Partitions being replayed: the next offset to re-read (committed). Until it reaches the applied position it
     * bounds the stored replay position, and a failed batch re-reads from it.
     */
    private final Map<TopicPartition, Long> replaying = new ConcurrentHashMap<>();
    /** Partitions this consumer owns now (readable from any thread). */
    private final Set<TopicPartition> owned = ConcurrentHashMap.newKeySet();
    /** Records sent to the DLQ whose batch has not committed yet: a retried batch does not send them again. */
    private final Set<DeadLettered> deadLetteredUncommitted = ConcurrentHashMap.newKeySet();
    /** The last commit failed in COMMIT itself: it may or may not have taken effect. */
    private boolean commitOutcomeUnknown;
    private volatile boolean running = true;
    private volatile boolean healthy = true;
    private volatile Instant lastProgress = Instant.now();
    private long lagMeasuredAt = System.nanoTime() - LAG_INTERVAL.toNanos();

    public BatchConsumerLoop(Consumer<byte[], byte[]> consumer, DataSource dataSource, OffsetStore offsets,
            Collection<EventBatchHandler> handlers, DeadLetters deadLetters, ProcessorMetrics metrics,
            Duration pollTimeout, Duration initialBackoff, Duration maxBackoff) {
        this(consumer, dataSource, offsets, handlers, List.of(), deadLetters, metrics, pollTimeout, initialBackoff,
                maxBackoff);
    }

    /** A loop whose handlers keep {@code holds} in memory beyond their batch. */
    public BatchConsumerLoop(Consumer<byte[], byte[]> consumer, DataSource dataSource, OffsetStore offsets,
            Collection<EventBatchHandler> handlers, Collection<HeldRecords> holds, DeadLetters deadLetters,
            ProcessorMetrics metrics, Duration pollTimeout, Duration initialBackoff, Duration maxBackoff) {
        this.consumer = consumer;
        this.dataSource = dataSource;
        this.offsets = offsets;
        this.handlers = new LinkedHashMap<>();
        handlers.forEach(h -> this.handlers.computeIfAbsent(h.topic(), t -> new ArrayList<>()).add(h));
        this.holds = List.copyOf(holds);
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.pollTimeout = pollTimeout;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    @Override
    public void run() {
        consumer.subscribe(handlers.keySet(), new Rebalance());
        Duration backoff = initialBackoff;
        try {
            while (running) {
                reloadPositionsIfNeeded();
                ConsumerRecords<byte[], byte[]> records = consumer.poll(pollTimeout);
                measureLagIfDue();
                if (records.isEmpty()) {
                    lastProgress = Instant.now();
                    continue;
                }
                try {
                    applyBatch(records);
                    healthy = true;
                    lastProgress = Instant.now();
                    backoff = initialBackoff;
                } catch (SQLException | DeadLetters.DeadLetterException | RuntimeException e) {
                    healthy = false;
                    boolean fenced = e instanceof OffsetStore.FencedException;
                    metrics.batchFailed(fenced ? "fenced" : e instanceof SQLException ? "database" : "other");
                    if (fenced) {
                        LOG.infof("batch not applied: %s; re-reading positions", e.getMessage());
                    } else {
                        LOG.warnf("batch of %d records not applied, retrying in %d ms: %s", records.count(),
                                backoff.toMillis(), e.toString());
                    }
                    needsReload.addAll(records.partitions());
                    if (fenced || commitOutcomeUnknown) { // held state may not match what is stored: rebuild it
                        commitOutcomeUnknown = false;
                        Set<TopicPartition> all = consumer.assignment();
                        holds.forEach(h -> h.forget(all));
                        needsReload.addAll(all);
                        needsReplay.addAll(all);
                    }
                    sleep(fenced ? Duration.ZERO : backoff);
                    backoff = min(backoff.multipliedBy(2), maxBackoff);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Stops the loop; safe from any thread. */
    public void stop() {
        running = false;
        consumer.wakeup();
    }

    /** False while batches fail (e.g. PostgreSQL down). */
    public boolean healthy() {
        return healthy;
    }

    /** How many partitions this loop owns now; safe from any thread. */
    public int ownedPartitions() {
        return owned.size();
    }

    public Instant lastProgress() {
        return lastProgress;
    }

    private record DeadLettered(TopicPartition partition, long offset) {
    }

    /**
     * A consumed record with its decoded event (null when it went to the DLQ, or a replayed record that does not
     * decode); {@code replay}: below the applied position, only rebuilding held state.
     */
    private record Decoded(ConsumerRecord<byte[], byte[]> record, ConsumedEvent consumed, boolean replay) {
        CanonicalEvent event() {
            return consumed == null ? null : consumed.event();
        }
    }

    private void applyBatch(ConsumerRecords<byte[], byte[]> records) throws SQLException, DeadLetters.DeadLetterException {
        long t0 = System.nanoTime();
        List<Decoded> decoded = new ArrayList<>(records.count());
        Map<TopicPartition, Long> next = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            OffsetStore.Position position = stored.get(tp);
            long applied = position == null ? Long.MIN_VALUE : position.next();
            List<ConsumerRecord<byte[], byte[]>> part = records.records(tp);
            for (ConsumerRecord<byte[], byte[]> rec : part) {
                boolean replay = rec.offset() < applied;
                try {
                    CanonicalEvent event = EventCodec.decode(rec.topic(), rec.value());
                    decoded.add(new Decoded(rec, new ConsumedEvent(event, tp, rec.offset(), rec.value()), replay));
                } catch (EventDecodingException e) {
                    if (!replay) { // a replayed one was dead-lettered when it was applied
                        LOG.debugf("undecodable record %s-%d@%d: %s", rec.topic(), rec.partition(), rec.offset(),
                                e.getMessage());
                        deadLetter(rec, e.getMessage());
                    }
                    decoded.add(new Decoded(rec, null, replay));
                }
            }
            next.put(tp, Math.max(applied, part.get(part.size() - 1).offset() + 1));
        }
        try {
            commit(decoded, next);
        } catch (SQLException e) {
            if (!DataErrors.isCausedByData(e)) {
                throw e;
            }
            // one record PostgreSQL cannot take must not block its partition: find it, dead-letter it, go on
            LOG.infof("batch refused by PostgreSQL (%s, SQLSTATE %s); applying its %d records one by one",
                    e.getMessage(), e.getSQLState(), decoded.size());
            applyOneByOne(decoded);
        }
        Map<String, Integer> perTopic = new HashMap<>();
        Instant now = Instant.now();
        for (Decoded d : decoded) {
            if (d.event() != null && !d.replay()) {
                metrics.eventAge(Duration.between(d.event().header().receivedAt(), now));
                perTopic.merge(d.record().topic(), 1, Integer::sum);
            }
        }
        perTopic.forEach(metrics::processed);
        metrics.committed(Duration.ofNanos(System.nanoTime() - t0), records.count());
        Map<TopicPartition, OffsetAndMetadata> kafkaCommit = new HashMap<>();
        next.forEach((tp, off) -> kafkaCommit.put(tp, new OffsetAndMetadata(off)));
        consumer.commitAsync(kafkaCommit, (done, e) -> {
            if (e != null) { // informational copy only (lag exporters); PostgreSQL holds the real position
                LOG.debugf("Kafka offset copy not committed: %s", e.toString());
            }
        });
    }

    /**
     * Replays and applies events and advances the partitions to {@code next}, in one transaction; the stored
     * replay position of every owned partition follows what the holds still keep.
     */
    private void commit(List<Decoded> decoded, Map<TopicPartition, Long> next) throws SQLException {
        Map<String, List<ConsumedEvent>> replayByTopic = new LinkedHashMap<>();
        Map<String, List<ConsumedEvent>> byTopic = new LinkedHashMap<>();
        for (Decoded d : decoded) {
            if (d.event() != null) {
                (d.replay() ? replayByTopic : byTopic).computeIfAbsent(d.record().topic(), t -> new ArrayList<>())
                        .add(d.consumed());
            }
        }
        Map<TopicPartition, OffsetStore.Position> written = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                for (Map.Entry<String, List<ConsumedEvent>> e : replayByTopic.entrySet()) {
                    for (EventBatchHandler h : handlers.get(e.getKey())) {
                        h.replay(c, e.getValue());
                    }
                }
                for (Map.Entry<String, List<ConsumedEvent>> e : byTopic.entrySet()) {
                    for (EventBatchHandler h : handlers.get(e.getKey())) {
                        h.applyConsumed(c, e.getValue());
                    }
                }
                Set<TopicPartition> touched = new HashSet<>(next.keySet());
                if (!holds.isEmpty()) {
                    touched.addAll(stored.keySet()); // releasing held records moves other partitions' replay position
                }
                for (TopicPartition tp : touched) {
                    OffsetStore.Position before = stored.get(tp);
                    long to = next.getOrDefault(tp, before == null ? -1 : before.next());
                    if (to < 0) {
                        continue;
                    }
                    OffsetStore.Position after = new OffsetStore.Position(to, replayFrom(tp, to));
                    if (!after.equals(before)) {
                        offsets.advance(c, tp, before == null ? null : before.next(), after);
                        written.put(tp, after);
                    }
                }
                try {
                    c.commit();
                } catch (SQLException e) {
                    commitOutcomeUnknown = true; // it may have committed: held state is rebuilt from PostgreSQL
                    throw e;
                }
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            holds.forEach(HeldRecords::rolledBack);
            throw e;
        }
        holds.forEach(HeldRecords::committed);
        stored.putAll(written);
        for (Decoded d : decoded) {
            if (d.replay()) {
                replaying.computeIfPresent(d.consumed() == null
                        ? new TopicPartition(d.record().topic(), d.record().partition()) : d.consumed().partition(),
                        (tp, cursor) -> Math.max(cursor, d.record().offset() + 1));
            }
        }
        replaying.entrySet().removeIf(e -> stored.get(e.getKey()) == null || e.getValue() >= stored.get(e.getKey()).next());
        if (!deadLetteredUncommitted.isEmpty()) {
            deadLetteredUncommitted.removeIf(d -> next.containsKey(d.partition()) && d.offset() < next.get(d.partition()));
        }
    }

    /**
     * The lowest offset of {@code tp} any hold keeps or a replay has yet to re-read, or {@code next} when none.
     */
    private long replayFrom(TopicPartition tp, long next) {
        long from = Math.min(next, replaying.getOrDefault(tp, next));
        for (HeldRecords h : holds) {
            Long held = h.heldFrom(tp);
            if (held != null && held < from) {
                from = held;
            }
        }
        return from;
    }

    /** The slow path after a data error: each record in its own transaction; the ones refused go to the DLQ. */
    private void applyOneByOne(List<Decoded> decoded) throws SQLException, DeadLetters.DeadLetterException {
        for (Decoded d : decoded) {
            TopicPartition tp = new TopicPartition(d.record().topic(), d.record().partition());
            OffsetStore.Position position = stored.get(tp);
            Map<TopicPartition, Long> next = Map.of(tp,
                    Math.max(position == null ? Long.MIN_VALUE : position.next(), d.record().offset() + 1));
            try {
                commit(d.event() == null ? List.of() : List.of(d), next);
            } catch (SQLException e) {
                if (!DataErrors.isCausedByData(e)) {
                    throw e;
                }
                if (!d.replay()) { // a replayed record refused now was dead-lettered or applied before: skip it
                    deadLetter(d.record(), "refused by PostgreSQL: SQLSTATE " + e.getSQLState() + ": " + e.getMessage());
                }
                commit(List.of(), next);
            }
        }
    }

    /** Sends a record to the DLQ unless this loop already did since the last commit (a retried batch). */
    private void deadLetter(ConsumerRecord<byte[], byte[]> rec, String reason) throws DeadLetters.DeadLetterException {
        DeadLettered id = new DeadLettered(new TopicPartition(rec.topic(), rec.partition()), rec.offset());
        if (!deadLetteredUncommitted.add(id)) {
            return;
        }
        try {
            deadLetters.send(rec, reason);
        } catch (DeadLetters.DeadLetterException | RuntimeException e) {
            deadLetteredUncommitted.remove(id);
            throw e;
        }
        metrics.deadLettered(rec.topic());
    }

    /**
     * Every {@link #LAG_INTERVAL}: lag of each owned partition = its end offset minus the position stored in
     * PostgreSQL (a partition never stored: minus its beginning offset, i.e. everything is lag).
     */
    private void measureLagIfDue() {
        if (System.nanoTime() - lagMeasuredAt < LAG_INTERVAL.toNanos()) {
            return;
        }
        lagMeasuredAt = System.nanoTime();
        Set<TopicPartition> owned = consumer.assignment();
        if (owned.isEmpty()) {
            return;
        }
        try {
            Map<TopicPartition, Long> ends = consumer.endOffsets(owned, Duration.ofSeconds(2));
            Map<TopicPartition, Long> starts = null;
            for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
                OffsetStore.Position stored = this.stored.get(e.getKey());
                Long position = stored == null ? null : stored.next();
                if (position == null) {
                    if (starts == null) {
                        starts = consumer.beginningOffsets(owned, Duration.ofSeconds(2));
                    }
                    position = starts.getOrDefault(e.getKey(), 0L);
                }
                metrics.partitionLag(e.getKey().topic(), e.getKey().partition(), Math.max(0, e.getValue() - position));
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            LOG.debugf("partition lag not measured: %s", e.toString());
        }
    }

    /**
     * Seeks failed or newly assigned partitions back to the position stored in PostgreSQL: to the applied
     * position after a failed batch (held state was rolled back with it), to the replay position after an
     * assignment (held state must be rebuilt).
     */
    private void reloadPositionsIfNeeded() {
        if (needsReload.isEmpty()) {
            return;
        }
        Set<TopicPartition> owned = consumer.assignment();
        List<TopicPartition> toSeek = new ArrayList<>();
        for (TopicPartition tp : needsReload) {
            if (owned.contains(tp)) {
                toSeek.add(tp);
            }
        }
        needsReload.clear();
        needsReplay.retainAll(owned);
        if (toSeek.isEmpty()) {
            return;
        }
        try {
            seekToStored(toSeek);
            needsReplay.removeAll(toSeek);
        } catch (SQLException e) {
            needsReload.addAll(toSeek);
            consumer.pause(toSeek); // nothing is read from them until their position is known
            LOG.warnf("cannot read positions from PostgreSQL (%s); partitions paused", e.getMessage());
            sleep(initialBackoff);
        }
    }

    private void seekToStored(Collection<TopicPartition> partitions) throws SQLException {
        Map<TopicPartition, OffsetStore.Position> positions;
        try (Connection c = dataSource.getConnection()) {
            positions = offsets.load(c, partitions);
        }
        List<TopicPartition> fresh = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            OffsetStore.Position pos = positions.get(tp);
            if (pos == null) {
                stored.remove(tp);
                replaying.remove(tp);
                fresh.add(tp);
            } else {
                stored.put(tp, pos);
                if (needsReplay.contains(tp) && pos.replayFrom() < pos.next()) {
                    replaying.put(tp, pos.replayFrom());
                } else if (needsReplay.contains(tp)) {
                    replaying.remove(tp);
                }
                consumer.seek(tp, replaying.getOrDefault(tp, pos.next()));
            }
        }
        if (!fresh.isEmpty()) {
            consumer.seekToBeginning(fresh);
        }
        consumer.resume(partitions);
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // the position comes from PostgreSQL, never from Kafka's committed offsets
            consumer.pause(partitions);
            needsReload.addAll(partitions);
            needsReplay.addAll(partitions);
            owned.addAll(partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            partitions.forEach(stored::remove);
            partitions.forEach(replaying::remove);
            owned.removeAll(partitions);
            holds.forEach(h -> h.forget(partitions));
            // the next owner re-sends their uncommitted dead letters (same beatline.dlq.id)
            deadLetteredUncommitted.removeIf(d -> partitions.contains(d.partition()));
            partitions.forEach(tp -> metrics.partitionRevoked(tp.topic(), tp.partition()));
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the transaction is gone with it
        }
    }

    private void sleep(Duration d) {
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
