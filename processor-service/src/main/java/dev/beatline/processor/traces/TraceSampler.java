package dev.beatline.processor.traces;

import dev.beatline.model.EventCodec;
import dev.beatline.model.EventKind;
import dev.beatline.model.SpanEvent;
import dev.beatline.model.TransactionEvent;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps whole transactions with their spans so a trace can be drawn as a waterfall, in bounded amount:
 * per transaction group and minute a {@link SampleReservoir} (the slowest always among them), plus every
 * transaction an error points to ({@code error_events.transaction_id}).
 *
 * <p>Spans usually arrive before their transaction (agents report a span when it ends), on another topic, so
 * the decision is made when the transaction arrives and spans wait in {@code trace_buffer} (hourly partitions,
 * dropped after a few hours) until then; spans of an already kept transaction go straight to
 * {@code trace_spans}. A transaction that is not kept is buffered too, so an error stored after it can still
 * promote it ({@link #promoteErrored}). Transactions and spans of one service are serialised by a transaction-
 * scoped advisory lock, so a span and its transaction processed concurrently by two consumers cannot miss each
 * other. Every write is idempotent (redelivered batches change nothing). Runs in the batch's transaction.
 */
public final class TraceSampler {

    public static final int DEFAULT_PER_GROUP_MINUTE = 5;

    private final Partitions partitions;
    private final Retention retention;
    private final int perGroupMinute;

    public TraceSampler(Partitions partitions, Retention retention, int perGroupMinute) {
        if (perGroupMinute < 1) {
            throw new IllegalArgumentException("samples per group and minute must be at least 1");
        }
        this.partitions = partitions;
        this.retention = retention;
        this.perGroupMinute = perGroupMinute;
    }

    /** Decides which of these transactions are kept; keeps them with their buffered spans, buffers the rest. */
    public void offerTransactions(Connection c, List<TransactionEvent> transactions) throws SQLException {
        Instant now = Instant.now();
        Instant cutoff = retention.traceCutoff(now);
        List<TransactionEvent> candidates = transactions.stream()
                .filter(t -> t.sampled() && t.id() != null && !t.header().timestamp().isBefore(cutoff)).toList();
        if (candidates.isEmpty()) {
            return;
        }
        ServiceLocks.lock(c, candidates.stream().map(t -> t.header().projectId() + "/" + t.header().service().name()).toList());
        Set<String> errored = erroredTransactions(c, candidates);
        Map<MetricKey, List<TransactionEvent>> byGroup = new LinkedHashMap<>();
        List<TransactionEvent> keepForError = new ArrayList<>();
        for (TransactionEvent t : candidates) {
            if (errored.contains(t.header().projectId() + "/" + t.id())) {
                keepForError.add(t);
            } else {
                byGroup.computeIfAbsent(group(t), g -> new ArrayList<>()).add(t);
            }
        }
        Map<MetricKey, List<StoredSample>> stored = storedSamples(c, byGroup.keySet());
        List<TransactionEvent> keep = new ArrayList<>();
        List<StoredSample> evict = new ArrayList<>();
        List<TransactionEvent> buffer = new ArrayList<>();
        for (Map.Entry<MetricKey, List<TransactionEvent>> g : byGroup.entrySet()) {
            List<StoredSample> kept = stored.getOrDefault(g.getKey(), List.of());
            Map<String, TransactionEvent> arrivals = new LinkedHashMap<>();
            g.getValue().forEach(t -> arrivals.putIfAbsent(t.id(), t));
            SampleReservoir.Decision d = SampleReservoir.decide(perGroupMinute,
                    kept.stream().map(StoredSample::candidate).toList(),
                    arrivals.values().stream().map(t -> new SampleReservoir.Candidate(t.id(), t.durationUs())).toList());
            Set<String> keepIds = new HashSet<>();
            d.keep().forEach(k -> keepIds.add(k.id()));
            Set<String> keptIds = new HashSet<>();
            kept.forEach(k -> keptIds.add(k.candidate().id()));
            for (TransactionEvent t : arrivals.values()) {
                if (keepIds.contains(t.id())) {
                    keep.add(t);
                } else if (!keptIds.contains(t.id())) {
                    buffer.add(t);
                }
            }
            Set<String> evictIds = new HashSet<>();
            d.evict().forEach(e -> evictIds.add(e.id()));
            kept.stream().filter(k -> evictIds.contains(k.candidate().id())).forEach(evict::add);
        }
        evict(c, evict);
        keep(c, keep, "sample");
        keep(c, keepForError, "error");
        bufferTransactions(c, buffer, now);
    }

    /** Spans of kept transactions go to {@code trace_spans}; the others wait in the buffer. */
    public void offerSpans(Connection c, List<SpanEvent> spans) throws SQLException {
        Instant now = Instant.now();
        Instant cutoff = retention.traceCutoff(now);
        List<SpanEvent> candidates = spans.stream().filter(s -> s.id() != null && s.trace() != null
                && s.trace().transactionId() != null && !s.header().timestamp().isBefore(cutoff)).toList();
        if (candidates.isEmpty()) {
            return;
        }
        ServiceLocks.lock(c, candidates.stream().map(s -> s.header().projectId() + "/" + s.header().service().name()).toList());
        List<Long> projects = candidates.stream().map(s -> s.header().projectId()).toList();
        List<String> txIds = candidates.stream().map(s -> s.trace().transactionId()).toList();
        Set<String> kept = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT DISTINCT s.project_id, s.transaction_id
                  FROM unnest(?::int8[], ?::text[]) AS k(project_id, transaction_id),
                       LATERAL (SELECT project_id, transaction_id FROM trace_samples
                                 WHERE project_id = k.project_id AND transaction_id = k.transaction_id) s""")) {
            ps.setArray(1, c.createArrayOf("int8", projects.toArray()));
            ps.setArray(2, c.createArrayOf("text", txIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    kept.add(rs.getLong(1) + "/" + rs.getString(2));
                }
            }
        }
        List<SpanEvent> direct = new ArrayList<>();
        List<SpanEvent> buffered = new ArrayList<>();
        for (SpanEvent s : candidates) {
            (kept.contains(s.header().projectId() + "/" + s.trace().transactionId()) ? direct : buffered).add(s);
        }
        if (!direct.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO trace_spans (project_id, transaction_id, span_id, trace_id, occurred_at, payload)
                    VALUES (?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT DO NOTHING""")) {
                for (SpanEvent s : direct) {
                    partitions.ensure(c, "trace_spans", Partitions.Period.DAY, s.header().timestamp());
                    ps.setLong(1, s.header().projectId());
                    ps.setString(2, s.trace().transactionId());
                    ps.setString(3, s.id());
                    ps.setString(4, s.trace().traceId());
                    ps.setObject(5, utc(s.header().timestamp()));
                    ps.setString(6, json(EventCodec.encode(s)));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        Instant bufferCutoff = retention.bufferCutoff(now);
        List<Buffered> rows = new ArrayList<>();
        for (SpanEvent s : buffered) {
            if (!s.header().receivedAt().isBefore(bufferCutoff)) {
                // the span may be moved to trace_spans later: its partition must exist by then
                partitions.ensure(c, "trace_spans", Partitions.Period.DAY, s.header().timestamp());
                rows.add(new Buffered(s.header().projectId(), s.header().receivedAt(), "span", s.trace().transactionId(),
                        s.id(), s.trace().traceId(), s.header().timestamp(), EventCodec.encode(s)));
            }
        }
        insertBuffer(c, rows);
    }

    /**
     * Keeps buffered transactions that errors stored at or after {@code since} point to, with their spans. Only
     * errors stored more than {@code settle} ago are read, so rows of transactions still committing (which
     * carry an earlier {@code stored_at}) are not skipped.
     *
     * @return the latest {@code stored_at} seen (the next call's {@code since}), or {@code since} if none
     */
    public Instant promoteErrored(Connection c, Instant since, Duration settle, int limit) throws SQLException {
        List<Long> projects = new ArrayList<>();
        List<String> txIds = new ArrayList<>();
        Instant latest = since;
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT project_id, transaction_id, stored_at FROM error_events
                 WHERE transaction_id IS NOT NULL AND stored_at >= ? AND stored_at < ?
                 ORDER BY stored_at LIMIT ?""")) {
            ps.setObject(1, utc(since));
            ps.setObject(2, utc(Instant.now().minus(settle)));
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    projects.add(rs.getLong(1));
                    txIds.add(rs.getString(2));
                    Instant at = rs.getObject(3, OffsetDateTime.class).toInstant();
                    latest = at.isAfter(latest) ? at : latest;
                }
            }
        }
        if (projects.isEmpty()) {
            return latest;
        }
        List<TransactionEvent> promote = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT DISTINCT ON (b.project_id, b.transaction_id) b.payload
                  FROM unnest(?::int8[], ?::text[]) AS k(project_id, transaction_id),
                       LATERAL (SELECT project_id, transaction_id, payload FROM trace_buffer
                                 WHERE project_id = k.project_id AND transaction_id = k.transaction_id
                                   AND kind = 'transaction') b
                 WHERE NOT EXISTS (SELECT 1 FROM trace_samples s
                        WHERE s.project_id = b.project_id AND s.transaction_id = b.transaction_id)""")) {
            ps.setArray(1, c.createArrayOf("int8", projects.toArray()));
            ps.setArray(2, c.createArrayOf("text", txIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    promote.add((TransactionEvent) EventCodec.decode(EventKind.TRANSACTION, rs.getBytes(1)));
                }
            }
        }
        Instant cutoff = retention.traceCutoff(Instant.now());
        promote = promote.stream().filter(t -> !t.header().timestamp().isBefore(cutoff)).toList();
        if (!promote.isEmpty()) {
            ServiceLocks.lock(c, promote.stream().map(t -> t.header().projectId() + "/" + t.header().service().name()).toList());
            keep(c, promote, "error");
        }
        return latest;
    }

    private record StoredSample(SampleReservoir.Candidate candidate, long projectId, Instant bucket) {
    }

    private record Buffered(long projectId, Instant receivedAt, String kind, String transactionId, String eventId,
            String traceId, Instant occurredAt, byte[] payload) {
    }

    private static MetricKey group(TransactionEvent t) {
        return MetricKey.of(t.header().projectId(), t.header().timestamp().truncatedTo(ChronoUnit.MINUTES),
                t.header().service().name(), t.header().service().environment(), t.type(), t.name());
    }

    private static Set<String> erroredTransactions(Connection c, List<TransactionEvent> ts) throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT e.project_id, e.transaction_id
                  FROM unnest(?::int8[], ?::text[]) AS k(project_id, transaction_id),
                       LATERAL (SELECT project_id, transaction_id FROM error_events
                                 WHERE project_id = k.project_id AND transaction_id = k.transaction_id
                                   AND transaction_id IS NOT NULL) e""")) {
            ps.setArray(1, c.createArrayOf("int8", ts.stream().map(t -> t.header().projectId()).toArray()));
            ps.setArray(2, c.createArrayOf("text", ts.stream().map(TransactionEvent::id).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1) + "/" + rs.getString(2));
                }
            }
        }
        return out;
    }

    private static Map<MetricKey, List<StoredSample>> storedSamples(Connection c, Set<MetricKey> groups) throws SQLException {
        Map<MetricKey, List<StoredSample>> out = new HashMap<>();
        if (groups.isEmpty()) {
            return out;
        }
        List<MetricKey> keys = new ArrayList<>(groups);
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT s.project_id, s.bucket, s.service_name, s.environment, s.transaction_type, s.transaction_name,
                       s.transaction_id, s.duration_us
                  FROM unnest(?::int8[], ?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[])
                       AS k(project_id, bucket, service_name, environment, transaction_type, transaction_name),
                       LATERAL (SELECT * FROM trace_samples
                                 WHERE project_id = k.project_id AND bucket = k.bucket AND service_name = k.service_name
                                   AND environment = k.environment AND transaction_type = k.transaction_type
                                   AND transaction_name = k.transaction_name AND reason = 'sample') s""")) {
            ps.setArray(1, c.createArrayOf("int8", keys.stream().map(MetricKey::projectId).toArray()));
            ps.setArray(2, c.createArrayOf("text", keys.stream().map(k -> k.bucket().toString()).toArray()));
            for (int d = 0; d < 4; d++) {
                int i = d;
                ps.setArray(3 + d, c.createArrayOf("text", keys.stream().map(k -> k.dimensions().get(i)).toArray()));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant bucket = rs.getObject(2, OffsetDateTime.class).toInstant();
                    MetricKey k = new MetricKey(rs.getLong(1), bucket,
                            List.of(rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)));
                    out.computeIfAbsent(k, x -> new ArrayList<>()).add(new StoredSample(
                            new SampleReservoir.Candidate(rs.getString(7), rs.getLong(8)), rs.getLong(1), bucket));
                }
            }
        }
        return out;
    }

    private static void evict(Connection c, List<StoredSample> evicted) throws SQLException {
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
            }
            samples.executeBatch();
            spans.executeBatch();
        }
    }

    /** Stores the transactions as kept and moves their buffered spans to {@code trace_spans}. */
    private void keep(Connection c, List<TransactionEvent> transactions, String reason) throws SQLException {
        if (transactions.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO trace_samples (project_id, bucket, service_name, environment, transaction_type,
                       transaction_name, transaction_id, trace_id, duration_us, occurred_at, reason, payload)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT DO NOTHING""")) {
            for (TransactionEvent t : transactions) {
                MetricKey g = group(t);
                partitions.ensure(c, "trace_samples", Partitions.Period.DAY, g.bucket());
                ps.setLong(1, g.projectId());
                ps.setObject(2, utc(g.bucket()));
                for (int d = 0; d < 4; d++) {
                    ps.setString(3 + d, g.dimensions().get(d));
                }
                ps.setString(7, t.id());
                ps.setString(8, t.trace() == null ? null : t.trace().traceId());
                ps.setLong(9, t.durationUs());
                ps.setObject(10, utc(t.header().timestamp()));
                ps.setString(11, reason);
                ps.setString(12, json(EventCodec.encode(t)));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO trace_spans (project_id, transaction_id, span_id, trace_id, occurred_at, payload)
                SELECT b.project_id, b.transaction_id, b.event_id, b.trace_id, b.occurred_at,
                       convert_from(b.payload, 'UTF8')::jsonb
                  FROM unnest(?::int8[], ?::text[]) AS k(project_id, transaction_id),
                       LATERAL (SELECT * FROM trace_buffer
                                 WHERE project_id = k.project_id AND transaction_id = k.transaction_id
                                   AND kind = 'span') b
                 WHERE b.occurred_at >= ?
                ON CONFLICT DO NOTHING""")) {
            ps.setArray(1, c.createArrayOf("int8", transactions.stream().map(t -> t.header().projectId()).toArray()));
            ps.setArray(2, c.createArrayOf("text", transactions.stream().map(TransactionEvent::id).toArray()));
            ps.setObject(3, utc(retention.traceCutoff(Instant.now())));
            ps.executeUpdate();
        }
    }

    private void bufferTransactions(Connection c, List<TransactionEvent> transactions, Instant now) throws SQLException {
        Instant cutoff = retention.bufferCutoff(now);
        List<Buffered> rows = new ArrayList<>();
        for (TransactionEvent t : transactions) {
            if (!t.header().receivedAt().isBefore(cutoff)) {
                rows.add(new Buffered(t.header().projectId(), t.header().receivedAt(), "transaction", t.id(), t.id(),
                        t.trace() == null ? null : t.trace().traceId(), t.header().timestamp(), EventCodec.encode(t)));
            }
        }
        insertBuffer(c, rows);
    }

    /** One statement for all rows (arrays through {@code unnest}): one execution instead of one per row. */
    private void insertBuffer(Connection c, List<Buffered> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        int n = rows.size();
        Long[] projects = new Long[n];
        String[] receivedAt = new String[n];
        String[] kinds = new String[n];
        String[] transactionIds = new String[n];
        String[] eventIds = new String[n];
        String[] traceIds = new String[n];
        String[] occurredAt = new String[n];
        byte[][] payloads = new byte[n][];
        for (int i = 0; i < n; i++) {
            Buffered b = rows.get(i);
            partitions.ensure(c, "trace_buffer", Partitions.Period.HOUR, b.receivedAt());
            projects[i] = b.projectId();
            receivedAt[i] = b.receivedAt().toString();
            kinds[i] = b.kind();
            transactionIds[i] = b.transactionId();
            eventIds[i] = b.eventId();
            traceIds[i] = b.traceId();
            occurredAt[i] = b.occurredAt().toString();
            payloads[i] = b.payload();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO trace_buffer (project_id, received_at, kind, transaction_id, event_id, trace_id,
                       occurred_at, payload)
                SELECT * FROM unnest(?::int8[], ?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[],
                       ?::timestamptz[], ?::bytea[])
                ON CONFLICT DO NOTHING""")) {
            ps.setArray(1, c.createArrayOf("int8", projects));
            ps.setArray(2, c.createArrayOf("text", receivedAt));
            ps.setArray(3, c.createArrayOf("text", kinds));
            ps.setArray(4, c.createArrayOf("text", transactionIds));
            ps.setArray(5, c.createArrayOf("text", eventIds));
            ps.setArray(6, c.createArrayOf("text", traceIds));
            ps.setArray(7, c.createArrayOf("text", occurredAt));
            ps.setArray(8, c.createArrayOf("bytea", payloads));
            ps.executeUpdate();
        }
    }

    private static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    private static String json(byte[] utf8) {
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
