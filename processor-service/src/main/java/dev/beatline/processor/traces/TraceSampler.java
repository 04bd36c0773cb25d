package dev.beatline.processor.traces;

import dev.beatline.model.ErrorEvent;
import dev.beatline.model.SpanEvent;
import dev.beatline.model.TransactionEvent;
import dev.beatline.processor.kafka.ConsumedEvent;
import dev.beatline.processor.metrics.MetricKey;
import dev.beatline.processor.metrics.Partitions;
import dev.beatline.processor.metrics.Retention;
import dev.beatline.processor.metrics.ServiceLocks;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Keeps whole transactions with their spans so a trace can be drawn as a waterfall, in bounded amount:
 * per transaction group and minute a {@link SampleReservoir} (the slowest always among them), plus every
 * transaction an error points to.
 *
 * <p>Spans usually arrive before their transaction (agents report a span when it ends), so the decision is made
 * when the transaction arrives and the spans wait in memory ({@link TraceHold}) until then; only spans of kept
 * transactions are ever written. A service's spans, transactions and errors reach the same consumer (same key,
 * equal partition counts, range assignment), so the hold sees all of them. Spans of a recently kept transaction
 * are written at once; a sampled transaction that is not kept waits in the hold for the hold time, so an error
 * consumed after it promotes it ({@link #promoteErrors}); an error stored before it is found in
 * {@code error_events} when it arrives. Spans whose transaction was not decided here within the hold time are
 * written if {@code trace_samples} has their transaction (kept elsewhere or long ago), else dropped and counted.
 * After a restart the consumer loop replays the records still held ({@link #replayTransactions},
 * {@link #replaySpans}): they rebuild the hold and write nothing that is not idempotent.
 * Runs in the batch's transaction; the hold follows its commit or rollback.
 */
public final class TraceSampler {

    public static final int DEFAULT_PER_GROUP_MINUTE = 5;
    /** How far an agent's clock may be off when bounding the error lookup by a transaction's start. */
    private static final Duration ERROR_CLOCK_MARGIN = Duration.ofMinutes(15);

    private final Partitions partitions;
    private final Retention retention;
    private final int perGroupMinute;
    private final TraceHold hold;
    private final LongSupplier clock;

    public TraceSampler(Partitions partitions, Retention retention, int perGroupMinute, TraceHold hold) {
        this(partitions, retention, perGroupMinute, hold, System::nanoTime);
    }

    /** A sampler whose hold times are measured with {@code clock} (nanoseconds, monotonic). */
    public TraceSampler(Partitions partitions, Retention retention, int perGroupMinute, TraceHold hold,
            LongSupplier clock) {
        if (perGroupMinute < 1) {
            throw new IllegalArgumentException("samples per group and minute must be at least 1");
        }
        this.partitions = partitions;
        this.retention = retention;
        this.perGroupMinute = perGroupMinute;
        this.hold = hold;
        this.clock = clock;
    }

    /** The in-memory hold (the consumer loop tracks its replay positions and transactions). */
    public TraceHold hold() {
        return hold;
    }

    /** Decides which of these transactions are kept; keeps them with their held spans, holds the rest. */
    public void offerTransactions(Connection c, List<ConsumedEvent> events) throws SQLException {
        long now = clock.getAsLong();
        List<Held> candidates = transactions(events);
        if (!candidates.isEmpty()) {
            decide(c, candidates, now);
        }
        settle(c, now);
    }

    /** Replayed transactions (applied before a restart): kept ones are marked, the others held again. */
    public void replayTransactions(Connection c, List<ConsumedEvent> events) throws SQLException {
        long now = clock.getAsLong();
        List<Held> candidates = transactions(events);
        Set<TraceHold.Key> kept = keptIn(c, candidates.stream().map(Held::key).toList());
        List<SpanRow> written = new ArrayList<>();
        for (Held t : candidates) {
            if (kept.contains(t.key())) {
                // written when the transaction was kept; again (idempotent) in case it was released meanwhile
                hold.keep(t.key(), now).forEach(s -> written.add(new SpanRow(t.key(), s.item())));
            } else {
                hold.holdNotKept(t.key(), t.held(), now);
            }
        }
        writeSpans(c, written);
        settle(c, now);
    }

    /** Spans of recently kept transactions go to {@code trace_spans}; the others wait in the hold. */
    public void offerSpans(Connection c, List<ConsumedEvent> events) throws SQLException {
        long now = clock.getAsLong();
        Instant cutoff = retention.traceCutoff(Instant.now());
        List<SpanRow> direct = new ArrayList<>();
        for (ConsumedEvent e : events) {
            SpanEvent s = (SpanEvent) e.event();
            if (isCandidate(s, cutoff)) {
                TraceHold.Key key = new TraceHold.Key(s.header().projectId(), s.trace().transactionId());
                HeldSpan span = heldSpan(s, e);
                if (hold.isKept(key)) {
                    direct.add(new SpanRow(key, span));
                } else {
                    hold.holdSpan(key, new TraceHold.Held<>(span, e.partition(), e.offset(), e.value().length), now);
                }
            }
        }
        writeSpans(c, direct);
        settle(c, now);
    }

    /**
     * Replayed spans (applied before a restart): those of transactions in {@code trace_samples} are written again
     * (idempotent; they may have waited when the processor stopped), the others held again.
     */
    public void replaySpans(Connection c, List<ConsumedEvent> events) throws SQLException {
        long now = clock.getAsLong();
        Instant cutoff = retention.traceCutoff(Instant.now());
        List<ConsumedEvent> candidates = new ArrayList<>();
        Set<TraceHold.Key> lookup = new LinkedHashSet<>();
        for (ConsumedEvent e : events) {
            SpanEvent s = (SpanEvent) e.event();
            if (isCandidate(s, cutoff)) {
                candidates.add(e);
                TraceHold.Key key = new TraceHold.Key(s.header().projectId(), s.trace().transactionId());
                if (!hold.isHeldNotKept(key)) {
                    lookup.add(key);
                }
            }
        }
        Set<TraceHold.Key> kept = keptIn(c, lookup);
        List<SpanRow> written = new ArrayList<>();
        for (ConsumedEvent e : candidates) {
            SpanEvent s = (SpanEvent) e.event();
            TraceHold.Key key = new TraceHold.Key(s.header().projectId(), s.trace().transactionId());
            if (kept.contains(key)) {
                if (!hold.isKept(key)) {
                    hold.keep(key, now).forEach(w -> written.add(new SpanRow(key, w.item())));
                }
                written.add(new SpanRow(key, heldSpan(s, e)));
            } else {
                hold.holdSpan(key, new TraceHold.Held<>(heldSpan(s, e), e.partition(), e.offset(), e.value().length), now);
            }
        }
        writeSpans(c, written);
        settle(c, now);
    }

    /** Errors pointing to a transaction held as not kept promote it, with its spans (reason {@code error}). */
    public void promoteErrors(Connection c, List<ConsumedEvent> events) throws SQLException {
        long now = clock.getAsLong();
        List<HeldTransaction> promoted = new ArrayList<>();
        List<SpanRow> spans = new ArrayList<>();
        for (ConsumedEvent e : events) {
            ErrorEvent error = (ErrorEvent) e.event();
            if (error.trace() == null || error.trace().transactionId() == null) {
                continue;
            }
            TraceHold.Key key = new TraceHold.Key(error.header().projectId(), error.trace().transactionId());
            TraceHold.Promoted p = hold.promote(key, now);
            if (p != null) {
                promoted.add(p.transaction().item());
                p.spans().forEach(s -> spans.add(new SpanRow(key, s.item())));
            }
        }
        if (!promoted.isEmpty()) {
            ServiceLocks.lock(c, promoted.stream().map(t -> t.group().projectId() + "/" + t.serviceName()).toList());
            writeSamples(c, promoted, "error");
            writeSpans(c, spans);
        }
        settle(c, now);
    }

    /** A transaction candidate with its hold key and held form. */
    private record Held(TransactionEvent event, TraceHold.Key key, TraceHold.Held<HeldTransaction> held) {
    }

    /** A span row to write. */
    private record SpanRow(TraceHold.Key key, HeldSpan span) {
    }

    private record StoredSample(SampleReservoir.Candidate candidate, long projectId, Instant bucket) {
    }

    private List<Held> transactions(List<ConsumedEvent> events) {
        Instant cutoff = retention.traceCutoff(Instant.now());
        List<Held> out = new ArrayList<>();
        for (ConsumedEvent e : events) {
            TransactionEvent t = (TransactionEvent) e.event();
            if (t.sampled() && t.id() != null && !t.header().timestamp().isBefore(cutoff)) {
                HeldTransaction h = new HeldTransaction(group(t), t.id(), t.trace() == null ? null : t.trace().traceId(),
                        t.durationUs(), t.header().timestamp(), t.header().service().name(), e.value());
                out.add(new Held(t, new TraceHold.Key(t.header().projectId(), t.id()),
                        new TraceHold.Held<>(h, e.partition(), e.offset(), e.value().length)));
            }
        }
        return out;
    }

    private void decide(Connection c, List<Held> candidates, long now) throws SQLException {
        ServiceLocks.lock(c, candidates.stream().map(t -> t.key().projectId() + "/" + t.event().header().service().name())
                .toList());
        Set<TraceHold.Key> errored = erroredTransactions(c, candidates);
        Map<MetricKey, List<Held>> byGroup = new LinkedHashMap<>();
        List<Held> keepForError = new ArrayList<>();
        for (Held t : candidates) {
            if (errored.contains(t.key())) {
                keepForError.add(t);
            } else {
                byGroup.computeIfAbsent(t.held().item().group(), g -> new ArrayList<>()).add(t);
            }
        }
        Map<MetricKey, List<StoredSample>> stored = storedSamples(c, byGroup.keySet());
        List<Held> keep = new ArrayList<>();
        List<StoredSample> evict = new ArrayList<>();
        List<Held> notKept = new ArrayList<>();
        for (Map.Entry<MetricKey, List<Held>> g : byGroup.entrySet()) {
            List<StoredSample> kept = stored.getOrDefault(g.getKey(), List.of());
            Map<String, Held> arrivals = new LinkedHashMap<>();
            g.getValue().forEach(t -> arrivals.putIfAbsent(t.event().id(), t));
            SampleReservoir.Decision d = SampleReservoir.decide(perGroupMinute,
                    kept.stream().map(StoredSample::candidate).toList(),
                    arrivals.values().stream().map(t -> new SampleReservoir.Candidate(t.event().id(),
                            t.event().durationUs())).toList());
            Set<String> keepIds = new HashSet<>();
            d.keep().forEach(k -> keepIds.add(k.id()));
            Set<String> keptIds = new HashSet<>();
            kept.forEach(k -> keptIds.add(k.candidate().id()));
            for (Held t : arrivals.values()) {
                if (keepIds.contains(t.event().id())) {
                    keep.add(t);
                } else if (!keptIds.contains(t.event().id())) {
                    notKept.add(t);
                }
            }
            Set<String> evictIds = new HashSet<>();
            d.evict().forEach(e -> evictIds.add(e.id()));
            kept.stream().filter(k -> evictIds.contains(k.candidate().id())).forEach(evict::add);
        }
        evict(c, evict);
        keep(c, keep, "sample", now);
        keep(c, keepForError, "error", now);
        for (Held t : notKept) {
            hold.holdNotKept(t.key(), t.held(), now);
        }
    }

    /**
     * Releases what waited past the hold time (or over the memory cap): spans whose transaction is in
     * {@code trace_samples} after all are written, the rest counted as dropped.
     */
    private void settle(Connection c, long now) throws SQLException {
        List<TraceHold.Orphan> orphans = hold.release(now);
        if (orphans.isEmpty()) {
            return;
        }
        Set<TraceHold.Key> kept = keptIn(c, orphans.stream().map(TraceHold.Orphan::key).toList());
        List<SpanRow> late = new ArrayList<>();
        for (TraceHold.Orphan o : orphans) {
            if (kept.contains(o.key())) {
                o.spans().forEach(s -> late.add(new SpanRow(o.key(), s.item())));
            } else {
                hold.dropped(o.spans().size(), o.overCap());
            }
        }
        writeSpans(c, late);
    }

    private static boolean isCandidate(SpanEvent s, Instant cutoff) {
        return s.id() != null && s.trace() != null && s.trace().transactionId() != null
                && !s.header().timestamp().isBefore(cutoff);
    }

    private static HeldSpan heldSpan(SpanEvent s, ConsumedEvent e) {
        return new HeldSpan(s.id(), s.trace().traceId(), s.header().timestamp(), e.value());
    }

    private static MetricKey group(TransactionEvent t) {
        return MetricKey.of(t.header().projectId(), t.header().timestamp().truncatedTo(ChronoUnit.MINUTES),
                t.header().service().name(), t.header().service().environment(), t.type(), t.name());
    }

    /** Which of these transactions {@code trace_samples} has (one statement). */
    private static Set<TraceHold.Key> keptIn(Connection c, Collection<TraceHold.Key> keys) throws SQLException {
        return lookup(c, keys, """
                SELECT DISTINCT s.project_id, s.transaction_id
                  FROM unnest(?::int8[], ?::text[]) AS k(project_id, transaction_id),
                       LATERAL (SELECT project_id, transaction_id FROM trace_samples
                                 WHERE project_id = k.project_id AND transaction_id = k.transaction_id) s""");
    }

    /**
     * Which of these transactions an already stored error points to. An error of a transaction is received after
     * the transaction started, so only the day partitions of {@code error_events} from the earliest start (less a
     * margin for agent clocks) to now are probed, not every day of the error retention.
     */
    private static Set<TraceHold.Key> erroredTransactions(Connection c, List<Held> ts) throws SQLException {
        Instant now = Instant.now();
        Instant earliest = now;
        for (Held t : ts) {
            Instant start = t.event().header().timestamp();
            earliest = start.isBefore(earliest) ? start : earliest;
        }
        return lookup(c, ts.stream().map(Held::key).toList(), """
                SELECT e.project_id, e.transaction_id
                  FROM unnest(?::int8[], ?::text[]) AS k(project_id, transaction_id),
                       LATERAL (SELECT project_id, transaction_id FROM error_events
                                 WHERE project_id = k.project_id AND transaction_id = k.transaction_id
                                   AND transaction_id IS NOT NULL AND received_at >= ? AND received_at < ?) e""",
                earliest.minus(ERROR_CLOCK_MARGIN), now.plus(ERROR_CLOCK_MARGIN));
    }

    private static Set<TraceHold.Key> lookup(Connection c, Collection<TraceHold.Key> keys, String sql,
            Instant... receivedBetween) throws SQLException {
        Set<TraceHold.Key> out = new HashSet<>();
        if (keys.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("int8", keys.stream().map(TraceHold.Key::projectId).toArray()));
            ps.setArray(2, c.createArrayOf("text", keys.stream().map(TraceHold.Key::transactionId).toArray()));
            for (int i = 0; i < receivedBetween.length; i++) {
                ps.setObject(3 + i, utc(receivedBetween[i]));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new TraceHold.Key(rs.getLong(1), rs.getString(2)));
                }
            }
        }
        return out;
    }

    /**
     * The samples already kept for these groups: one index range per (project, minute) of the batch
     * ({@code trace_samples_minute}, V640), filtered here, rather than one lookup per group, which PostgreSQL ran as
     * a scan of the minute's partition per group while the partition was young (~60 % of its CPU in the benchmark).
     * Reads every group's samples of those minutes: at most the per-group-minute limit times the project's groups.
     */
    private static Map<MetricKey, List<StoredSample>> storedSamples(Connection c, Set<MetricKey> groups) throws SQLException {
        Map<MetricKey, List<StoredSample>> out = new HashMap<>();
        if (groups.isEmpty()) {
            return out;
        }
        Set<MetricKey> minutes = new HashSet<>();
        groups.forEach(g -> minutes.add(new MetricKey(g.projectId(), g.bucket(), List.of())));
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT s.project_id, s.bucket, s.service_name, s.environment, s.transaction_type, s.transaction_name,
                       s.transaction_id, s.duration_us
                  FROM unnest(?::int8[], ?::timestamptz[]) AS k(project_id, bucket),
                       LATERAL (SELECT * FROM trace_samples
                                 WHERE project_id = k.project_id AND bucket = k.bucket AND reason = 'sample') s""")) {
            ps.setArray(1, c.createArrayOf("int8", minutes.stream().map(MetricKey::projectId).toArray()));
            ps.setArray(2, c.createArrayOf("text", minutes.stream().map(k -> k.bucket().toString()).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant bucket = rs.getObject(2, OffsetDateTime.class).toInstant();
                    MetricKey k = new MetricKey(rs.getLong(1), bucket,
                            List.of(rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)));
                    if (groups.contains(k)) {
                        out.computeIfAbsent(k, x -> new ArrayList<>()).add(new StoredSample(
                                new SampleReservoir.Candidate(rs.getString(7), rs.getLong(8)), rs.getLong(1), bucket));
                    }
                }
            }
        }
        return out;
    }

    /** Removes evicted samples with their spans; their late spans are no longer written. */
    private void evict(Connection c, List<StoredSample> evicted) throws SQLException {
        if (evicted.isEmpty()) {
            return;
        }
        try (PreparedStatement samples = c.prepareStatement(
                "DELETE FROM trace_samples WHERE project_id = ? AND transaction_id = ? AND bucket = ?");
             PreparedStatement spans = c.prepareStatement(
                     "DELETE FROM trace_spans WHERE project_id = ? AND transaction_id = ?")) {
            for (StoredSample s : evicted) {
                samples.setLong(1, s.projectId());
                samples.setString(2, s.candidate().id());
                samples.setObject(3, utc(s.bucket()));
                samples.addBatch();
                spans.setLong(1, s.projectId());
                spans.setString(2, s.candidate().id());
                spans.addBatch();
                hold.forgetKept(new TraceHold.Key(s.projectId(), s.candidate().id()));
            }
            samples.executeBatch();
            spans.executeBatch();
        }
    }

    /** Stores the transactions as kept, with the spans that waited for them in the hold. */
    private void keep(Connection c, List<Held> transactions, String reason, long now) throws SQLException {
        if (transactions.isEmpty()) {
            return;
        }
        List<SpanRow> spans = new ArrayList<>();
        for (Held t : transactions) {
            hold.keep(t.key(), now).forEach(s -> spans.add(new SpanRow(t.key(), s.item())));
        }
        writeSamples(c, transactions.stream().map(t -> t.held().item()).toList(), reason);
        writeSpans(c, spans);
    }

    private void writeSamples(Connection c, List<HeldTransaction> transactions, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO trace_samples (project_id, bucket, service_name, environment, transaction_type,
                       transaction_name, transaction_id, trace_id, duration_us, occurred_at, reason, payload)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT DO NOTHING""")) {
            for (HeldTransaction t : transactions) {
                MetricKey g = t.group();
                partitions.ensure(c, "trace_samples", Partitions.Period.DAY, g.bucket());
                ps.setLong(1, g.projectId());
                ps.setObject(2, utc(g.bucket()));
                for (int d = 0; d < 4; d++) {
                    ps.setString(3 + d, g.dimensions().get(d));
                }
                ps.setString(7, t.id());
                ps.setString(8, t.traceId());
                ps.setLong(9, t.durationUs());
                ps.setObject(10, utc(t.occurredAt()));
                ps.setString(11, reason);
                ps.setString(12, new String(t.payload(), StandardCharsets.UTF_8));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void writeSpans(Connection c, List<SpanRow> spans) throws SQLException {
        if (spans.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO trace_spans (project_id, transaction_id, span_id, trace_id, occurred_at, payload)
                VALUES (?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT DO NOTHING""")) {
            for (SpanRow r : spans) {
                partitions.ensure(c, "trace_spans", Partitions.Period.DAY, r.span().occurredAt());
                ps.setLong(1, r.key().projectId());
                ps.setString(2, r.key().transactionId());
                ps.setString(3, r.span().spanId());
                ps.setString(4, r.span().traceId());
                ps.setObject(5, utc(r.span().occurredAt()));
                ps.setString(6, new String(r.span().payload(), StandardCharsets.UTF_8));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}
