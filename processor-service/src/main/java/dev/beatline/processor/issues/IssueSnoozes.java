package dev.beatline.processor.issues;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.beatline.model.EventCodec;
import dev.beatline.processor.issues.SnoozePolicy.Observed;
import dev.beatline.processor.issues.SnoozePolicy.Snooze;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reopens ignored issues whose ignore condition ({@code issue_snoozes}, V610) is met: as {@code unresolved} /
 * {@code escalating} with exactly one {@code set_escalating} activity. {@link #release} runs inside a batch
 * transaction whose issue upsert already holds the row lock of every issue it is given; {@link #expire} is the
 * job for durations that end without an event. Both reopen with {@code UPDATE … WHERE status = 'ignored'}, so
 * a batch and the job, or two batches, never reopen an issue twice. {@link SnoozePolicy} decides.
 */
public final class IssueSnoozes {

    /** One event of the batch for an ignored issue (receipt order). */
    public record Sighting(String eventId, Instant receivedAt, String user) {
    }

    /** An ignored issue the batch counted events for, its row locked by the batch. */
    public record IgnoredIssue(long projectId, long issueId, List<Sighting> sightings) {
    }

    private IssueSnoozes() {
    }

    /**
     * Checks the snoozes of {@code issues} against what the batch has counted (call after the counters, users
     * and minute counts are written) and reopens those whose condition is met.
     *
     * @return the ids of the issues reopened
     */
    public static List<Long> release(Connection c, List<IgnoredIssue> issues, Instant now) throws SQLException {
        if (issues.isEmpty()) {
            return List.of();
        }
        Map<Long, IgnoredIssue> byId = new TreeMap<>();
        for (IgnoredIssue i : issues) {
            byId.put(i.issueId(), i);
        }
        Long[] projects = new Long[byId.size()];
        Long[] ids = new Long[byId.size()];
        int k = 0;
        for (IgnoredIssue i : byId.values()) {
            projects[k] = i.projectId();
            ids[k] = i.issueId();
            k++;
        }
        record Row(Snooze snooze, long timesSeen, long usersAffected, String substatus) {
        }
        Map<Long, Row> rows = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT s.issue_id, s.condition, s.ignored_at, s.until, s.event_count, s.count_window_minutes,
                       s.user_count, s.user_window_minutes, s.times_seen_at_ignore, s.users_at_ignore,
                       s.minute_events_at_ignore, s.hourly_average, i.times_seen, i.users_affected, i.substatus
                  FROM issue_snoozes s JOIN issues i ON i.project_id = s.project_id AND i.id = s.issue_id
                 WHERE (s.project_id, s.issue_id) IN (SELECT * FROM unnest(?::bigint[], ?::bigint[]))
                   AND i.status = 'ignored'""")) {
            ps.setArray(1, c.createArrayOf("bigint", projects));
            ps.setArray(2, c.createArrayOf("bigint", ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getLong(1), new Row(snooze(rs, 2), rs.getLong(13), rs.getLong(14), rs.getString(15)));
                }
            }
        }
        List<Long> reopened = new ArrayList<>();
        for (Map.Entry<Long, Row> e : rows.entrySet()) {
            IgnoredIssue issue = byId.get(e.getKey());
            Row row = e.getValue();
            Snooze s = row.snooze();
            List<Sighting> sightings = issue.sightings();
            Instant newest = sightings.get(sightings.size() - 1).receivedAt();
            long windowEvents = 0;
            if (s.eventWindowMinutes() > 0) {
                Instant start = SnoozePolicy.windowStart(s, newest, s.eventWindowMinutes());
                windowEvents = SnoozePolicy.eventsSinceIgnore(s, start, minuteCounts(c, issue, start, newest));
            }
            long windowUsers = 0;
            if (s.userWindowMinutesOrZero() > 0) {
                windowUsers = recordUsers(c, issue, SnoozePolicy.userWindowStart(newest, s.userWindowMinutesOrZero()));
            }
            Observed observed = new Observed(row.timesSeen(), row.usersAffected(), windowEvents, windowUsers, now);
            if (!SnoozePolicy.isMet(s, observed)) {
                continue;
            }
            Sighting culprit = sightings.get(sightings.size() - 1);
            if (SnoozePolicy.UNTIL_COUNT.equals(s.condition()) && s.eventWindowMinutes() == 0) {
                int at = SnoozePolicy.reachingEvent(s, row.timesSeen() - sightings.size(), sightings.size());
                if (at > 0) {
                    culprit = sightings.get(at - 1);
                }
            }
            Map<String, Object> data = activityData(s, row.substatus());
            data.put("event_id", culprit.eventId());
            data.put("events_since_ignored", row.timesSeen() - s.timesSeenAtIgnore());
            data.put("users_since_ignored", row.usersAffected() - s.usersAtIgnore());
            if (s.eventWindowMinutes() > 0) {
                data.put("window_events", windowEvents);
            }
            if (s.userWindowMinutesOrZero() > 0) {
                data.put("window_users", windowUsers);
            }
            if (reopen(c, issue.projectId(), issue.issueId(), data)) {
                reopened.add(issue.issueId());
            }
        }
        return reopened;
    }

    /**
     * Reopens ignored issues whose {@code for_minutes} snooze has ended at {@code now}, at most {@code chunk} per
     * statement, skipping issues a batch is writing (they are seen by that batch or the next run). The
     * connection must be in auto-commit mode.
     *
     * @return how many issues were reopened
     */
    public static int expire(Connection c, Instant now, int chunk) throws SQLException {
        int total = 0;
        int n;
        try (PreparedStatement ps = c.prepareStatement("""
                WITH due AS (
                    SELECT i.project_id, i.id, i.substatus FROM issue_snoozes s
                      JOIN issues i ON i.project_id = s.project_id AND i.id = s.issue_id
                     WHERE s.until <= ? AND i.status = 'ignored'
                     ORDER BY i.id LIMIT ? FOR UPDATE OF i SKIP LOCKED),
                moved AS (
                    UPDATE issues i SET status = 'unresolved', substatus = 'escalating', active_at = now()
                      FROM due WHERE i.id = due.id AND i.status = 'ignored'
                    RETURNING i.project_id, i.id, due.substatus AS previous),
                gone AS (
                    DELETE FROM issue_snoozes s USING moved
                     WHERE s.project_id = moved.project_id AND s.issue_id = moved.id
                    RETURNING s.project_id, s.issue_id, s.ignored_at, s.until, moved.previous)
                INSERT INTO issue_activity (project_id, issue_id, kind, data)
                SELECT project_id, issue_id, ?, jsonb_build_object('condition', ?::text, 'ignored_at', ignored_at,
                       'until', until, 'previous_status', 'ignored', 'previous_substatus', previous)
                  FROM gone""")) {
            do {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.setInt(2, chunk);
                ps.setString(3, IssueStatus.ACTIVITY_SET_ESCALATING);
                ps.setString(4, SnoozePolicy.FOR_MINUTES);
                n = ps.executeUpdate();
                total += n;
            } while (n == chunk);
        }
        return total;
    }

    private static Snooze snooze(ResultSet rs, int from) throws SQLException {
        Timestamp until = rs.getTimestamp(from + 2);
        return new Snooze(rs.getString(from), rs.getTimestamp(from + 1).toInstant(),
                until == null ? null : until.toInstant(), (Long) rs.getObject(from + 3),
                (Integer) rs.getObject(from + 4), (Long) rs.getObject(from + 5), (Integer) rs.getObject(from + 6),
                rs.getLong(from + 7), rs.getLong(from + 8), rs.getLong(from + 9), (Double) rs.getObject(from + 10));
    }

    /** Sum of the issue's minute counts from {@code start} to the minute of {@code newest}. */
    private static long minuteCounts(Connection c, IgnoredIssue issue, Instant start, Instant newest)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT COALESCE(sum(events), 0) FROM issue_minute_counts
                 WHERE project_id = ? AND issue_id = ? AND minute >= ? AND minute <= ?""")) {
            ps.setLong(1, issue.projectId());
            ps.setLong(2, issue.issueId());
            ps.setTimestamp(3, Timestamp.from(start));
            ps.setTimestamp(4, Timestamp.from(newest));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Records the batch's users of the issue with their latest receipt; counts those seen since {@code start}. */
    private static long recordUsers(Connection c, IgnoredIssue issue, Instant start) throws SQLException {
        Map<String, Instant> latest = new TreeMap<>(); // sorted: a fixed lock order
        for (Sighting s : issue.sightings()) {
            if (s.user() != null) {
                latest.merge(s.user(), s.receivedAt(), (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        if (!latest.isEmpty()) {
            String[] identities = latest.keySet().toArray(String[]::new);
            String[] seen = latest.values().stream().map(Instant::toString).toArray(String[]::new);
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO issue_snooze_users AS u (project_id, issue_id, identity, last_seen)
                    SELECT ?, ?, x.identity, x.seen FROM unnest(?::text[], ?::timestamptz[]) AS x(identity, seen)
                    ON CONFLICT (project_id, issue_id, identity) DO UPDATE
                       SET last_seen = GREATEST(u.last_seen, EXCLUDED.last_seen)""")) {
                ps.setLong(1, issue.projectId());
                ps.setLong(2, issue.issueId());
                ps.setArray(3, c.createArrayOf("text", identities));
                ps.setArray(4, c.createArrayOf("text", seen));
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT count(*) FROM issue_snooze_users WHERE project_id = ? AND issue_id = ? AND last_seen >= ?""")) {
            ps.setLong(1, issue.projectId());
            ps.setLong(2, issue.issueId());
            ps.setTimestamp(3, Timestamp.from(start));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Map<String, Object> activityData(Snooze s, String previousSubstatus) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("condition", s.condition());
        data.put("ignored_at", s.ignoredAt().toString());
        putIfPresent(data, "until", s.until() == null ? null : s.until().toString());
        putIfPresent(data, "count", s.eventCount());
        putIfPresent(data, "count_window_minutes", s.countWindowMinutes());
        putIfPresent(data, "user_count", s.userCount());
        putIfPresent(data, "user_window_minutes", s.userWindowMinutes());
        putIfPresent(data, "hourly_average", s.hourlyAverage());
        if (SnoozePolicy.UNTIL_ESCALATING.equals(s.condition())) {
            data.put("threshold", SnoozePolicy.escalationThreshold(s.hourlyAverage()));
        }
        data.put("previous_status", IssueStatus.IGNORED);
        data.put("previous_substatus", previousSubstatus);
        return data;
    }

    private static void putIfPresent(Map<String, Object> data, String key, Object value) {
        if (value != null) {
            data.put(key, value);
        }
    }

    /** The conditional reopen under the batch's row lock; false when the issue is no longer ignored. */
    private static boolean reopen(Connection c, long projectId, long issueId, Map<String, Object> data)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE issues SET status = 'unresolved', substatus = 'escalating', active_at = now()
                 WHERE project_id = ? AND id = ? AND status = 'ignored'""")) {
            ps.setLong(1, projectId);
            ps.setLong(2, issueId);
            if (ps.executeUpdate() != 1) {
                return false;
            }
        }
        try (PreparedStatement ps = c.prepareStatement( // its counted users go with it (V650)
                "DELETE FROM issue_snoozes WHERE project_id = ? AND issue_id = ?")) {
            ps.setLong(1, projectId);
            ps.setLong(2, issueId);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO issue_activity (project_id, issue_id, kind, data) VALUES (?, ?, ?, ?::jsonb)")) {
            ps.setLong(1, projectId);
            ps.setLong(2, issueId);
            ps.setString(3, IssueStatus.ACTIVITY_SET_ESCALATING);
            try {
                ps.setString(4, EventCodec.mapper().writeValueAsString(data));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("activity data is not serializable", e);
            }
            ps.executeUpdate();
        }
        return true;
    }
}
