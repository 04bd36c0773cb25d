package dev.beatline.processor.issues;

import dev.beatline.model.CanonicalEvent;
import dev.beatline.model.ErrorEvent;
import dev.beatline.model.EventCodec;
import dev.beatline.model.Topics;
import dev.beatline.processor.grouping.Fingerprinter;
import dev.beatline.processor.grouping.GroupingResult;
import dev.beatline.processor.kafka.EventBatchHandler;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Groups a batch of errors into issues and stores the occurrences. Counting is exact: an occurrence is
 * counted only when its (project, event id) row is new, so a redelivered batch or an SDK that sends the same
 * event twice counts once. Issues are upserted in fingerprint order so concurrent processors do not deadlock.
 */
public final class ErrorEventWriter implements EventBatchHandler {

    private final Fingerprinter fingerprinter;

    public ErrorEventWriter(Fingerprinter fingerprinter) {
        this.fingerprinter = fingerprinter;
    }

    @Override
    public String topic() {
        return Topics.ERRORS;
    }

    private record Key(long projectId, String fingerprint) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = Long.compare(projectId, o.projectId);
            return c != 0 ? c : fingerprint.compareTo(o.fingerprint);
        }
    }

    private record Grouped(ErrorEvent event, GroupingResult grouping) {
    }

    @Override
    public void apply(Connection c, List<CanonicalEvent> events) throws SQLException {
        Map<Key, List<Grouped>> groups = new TreeMap<>();
        for (CanonicalEvent ce : events) {
            ErrorEvent e = (ErrorEvent) ce;
            GroupingResult g = fingerprinter.fingerprint(e);
            groups.computeIfAbsent(new Key(e.header().projectId(), g.fingerprint()), k -> new ArrayList<>())
                    .add(new Grouped(e, g));
        }
        for (Map.Entry<Key, List<Grouped>> group : groups.entrySet()) {
            long issueId = upsertIssue(c, group.getKey(), group.getValue().get(0));
            List<ErrorEvent> fresh = insertOccurrences(c, issueId, group.getValue());
            if (!fresh.isEmpty()) {
                long newUsers = insertUsers(c, issueId, fresh);
                count(c, issueId, fresh, newUsers);
            }
        }
    }

    private long upsertIssue(Connection c, Key key, Grouped first) throws SQLException {
        ErrorEvent e = first.event();
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO issues (project_id, fingerprint, grouping_config, title, culprit, level, type, platform,
                                    service_name, first_seen, last_seen, first_release, last_release)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (project_id, fingerprint) DO UPDATE SET project_id = EXCLUDED.project_id
                RETURNING id""")) {
            Timestamp ts = Timestamp.from(e.header().timestamp());
            ps.setLong(1, key.projectId());
            ps.setString(2, key.fingerprint());
            ps.setString(3, first.grouping().config());
            ps.setString(4, IssueTitles.title(e));
            ps.setString(5, IssueTitles.culprit(e));
            ps.setString(6, e.level());
            ps.setString(7, IssueTitles.type(e));
            ps.setString(8, e.platform());
            ps.setString(9, e.header().service().name());
            ps.setTimestamp(10, ts);
            ps.setTimestamp(11, ts);
            ps.setString(12, e.header().service().version());
            ps.setString(13, e.header().service().version());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Inserts the occurrences; returns those that were not stored before. */
    private List<ErrorEvent> insertOccurrences(Connection c, long issueId, List<Grouped> group) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO error_events (project_id, event_id, issue_id, occurred_at, received_at, service_name,
                                          environment, release, level, message, trace_id, transaction_id, payload)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
                ON CONFLICT (project_id, event_id) DO NOTHING""")) {
            for (Grouped g : group) {
                ErrorEvent e = g.event();
                ps.setLong(1, e.header().projectId());
                ps.setString(2, e.header().eventId());
                ps.setLong(3, issueId);
                ps.setTimestamp(4, Timestamp.from(e.header().timestamp()));
                ps.setTimestamp(5, Timestamp.from(e.header().receivedAt()));
                ps.setString(6, e.header().service().name());
                ps.setString(7, e.header().service().environment());
                ps.setString(8, e.header().service().version());
                ps.setString(9, e.level());
                ps.setString(10, e.message() != null ? e.message() : IssueTitles.title(e));
                setNullable(ps, 11, e.trace() == null ? null : e.trace().traceId());
                setNullable(ps, 12, e.trace() == null ? null : e.trace().transactionId());
                ps.setString(13, new String(EventCodec.encode(e), java.nio.charset.StandardCharsets.UTF_8));
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            List<ErrorEvent> fresh = new ArrayList<>();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0) { // 0: the event id was stored before (or earlier in this batch)
                    fresh.add(group.get(i).event());
                }
            }
            return fresh;
        }
    }

    private long insertUsers(Connection c, long issueId, List<ErrorEvent> fresh) throws SQLException {
        long added = 0;
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO issue_users (project_id, issue_id, identity) VALUES (?, ?, ?) ON CONFLICT DO NOTHING""")) {
            boolean any = false;
            for (ErrorEvent e : fresh) {
                String identity = e.header().user() == null ? null : e.header().user().identity();
                if (identity != null) {
                    ps.setLong(1, e.header().projectId());
                    ps.setLong(2, issueId);
                    ps.setString(3, identity);
                    ps.addBatch();
                    any = true;
                }
            }
            if (any) {
                for (int n : ps.executeBatch()) {
                    added += Math.max(n, 0);
                }
            }
        }
        return added;
    }

    private void count(Connection c, long issueId, List<ErrorEvent> fresh, long newUsers) throws SQLException {
        Instant first = fresh.get(0).header().timestamp();
        Instant last = first;
        ErrorEvent latest = fresh.get(0);
        for (ErrorEvent e : fresh) {
            Instant t = e.header().timestamp();
            if (t.isBefore(first)) {
                first = t;
            }
            if (!t.isBefore(last)) {
                last = t;
                latest = e;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE issues SET times_seen = times_seen + ?, users_affected = users_affected + ?,
                       first_seen = LEAST(first_seen, ?), last_seen = GREATEST(last_seen, ?),
                       last_release = CASE WHEN ? >= last_seen THEN COALESCE(?, last_release) ELSE last_release END
                 WHERE id = ?""")) {
            ps.setLong(1, fresh.size());
            ps.setLong(2, newUsers);
            ps.setTimestamp(3, Timestamp.from(first));
            ps.setTimestamp(4, Timestamp.from(last));
            ps.setTimestamp(5, Timestamp.from(last));
            ps.setString(6, latest.header().service().version());
            ps.setLong(7, issueId);
            ps.executeUpdate();
        }
    }

    private static void setNullable(PreparedStatement ps, int i, String v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.VARCHAR);
        } else {
            ps.setString(i, v);
        }
    }
}
