package dev.beatline.query.issues;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beatline.query.issues.IssueDtos.Activity;
import dev.beatline.query.issues.IssueDtos.IgnoreDetails;
import dev.beatline.query.issues.IssueTransitions.Change;
import dev.beatline.query.issues.IssueTransitions.State;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Workflow writes on {@code issues} and the {@code issue_activity} log, one transaction each. The issue row is
 * locked first (SELECT … FOR UPDATE): a processor batch that is reopening the same issue holds that lock until it
 * commits, so a write sees the issue either before or after the batch (see the V100 header).
 */
@ApplicationScoped
public class IssueWorkflowRepository {

    private final AgroalDataSource dataSource;
    private final ObjectMapper mapper;

    public IssueWorkflowRepository(AgroalDataSource dataSource, ObjectMapper mapper) {
        this.dataSource = dataSource;
        this.mapper = mapper;
    }

    /**
     * Applies {@code action} to the issue and records its activity; false when the issue does not exist. A status
     * change ends any ignore condition of the issue.
     */
    public boolean apply(long projectId, long issueId, Function<State, Change> action, String actor)
            throws SQLException {
        return apply(projectId, issueId, action, IgnoreCondition.FOREVER, actor);
    }

    /**
     * Ignores the issue; a condition other than forever is stored in {@code issue_snoozes} with the issue's counts
     * read under its row lock (so the processor counts exactly the events written after this commit). Ignoring an
     * ignored issue again replaces its condition.
     */
    public boolean ignore(long projectId, long issueId, IgnoreCondition condition, String actor) throws SQLException {
        return apply(projectId, issueId, s -> IssueTransitions.ignore(s, condition), condition, actor);
    }

    /** While ignored with a condition: that condition; else empty. */
    public Optional<IgnoreDetails> ignoreCondition(long projectId, long issueId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        SELECT condition, ignored_at, until, event_count, count_window_minutes, user_count,
                               user_window_minutes, times_seen_at_ignore, users_at_ignore, hourly_average, actor
                          FROM issue_snoozes WHERE project_id = ? AND issue_id = ?""")) {
            ps.setLong(1, projectId);
            ps.setLong(2, issueId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Timestamp until = rs.getTimestamp(3);
                return Optional.of(new IgnoreDetails(rs.getString(1), rs.getTimestamp(2).toInstant(),
                        until == null ? null : until.toInstant(), (Long) rs.getObject(4), (Integer) rs.getObject(5),
                        (Long) rs.getObject(6), (Integer) rs.getObject(7), rs.getLong(8), rs.getLong(9),
                        (Double) rs.getObject(10), rs.getString(11)));
            }
        }
    }

    private boolean apply(long projectId, long issueId, Function<State, Change> action, IgnoreCondition condition,
            String actor) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                State state = lock(c, projectId, issueId);
                if (state == null) {
                    c.rollback();
                    return false;
                }
                Change change = action.apply(state);
                write(c, projectId, issueId, change);
                if (!change.keepResolution()) {
                    endIgnoreCondition(c, projectId, issueId);
                }
                if (!condition.isForever()) {
                    storeIgnoreCondition(c, projectId, issueId, condition, actor);
                }
                record(c, projectId, issueId, change.activityKind(), change.activityData(), actor);
                c.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** The activity log of an issue, oldest first, at most {@code limit} (the newest ones). */
    public List<Activity> activity(long projectId, long issueId, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        SELECT id, kind, data::text, actor, created_at FROM (
                            SELECT * FROM issue_activity WHERE project_id = ? AND issue_id = ?
                             ORDER BY created_at DESC, id DESC LIMIT ?) a
                         ORDER BY created_at, id""")) {
            ps.setLong(1, projectId);
            ps.setLong(2, issueId);
            ps.setInt(3, limit);
            List<Activity> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Activity(rs.getLong(1), rs.getString(2), json(rs.getString(3)), rs.getString(4),
                            rs.getTimestamp(5).toInstant()));
                }
            }
            return out;
        }
    }

    private static State lock(Connection c, long projectId, long issueId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT status, substatus, last_release, assignee FROM issues WHERE project_id = ? AND id = ? FOR UPDATE""")) {
            ps.setLong(1, projectId);
            ps.setLong(2, issueId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new State(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)) : null;
            }
        }
    }

    private static void write(Connection c, long projectId, long issueId, Change change) throws SQLException {
        String sql = change.keepResolution()
                ? "UPDATE issues SET assignee = ? WHERE project_id = ? AND id = ?"
                : """
                  UPDATE issues SET assignee = ?, status = ?, substatus = ?,
                         resolved_at = CASE WHEN ? THEN now() END, resolved_in_release = ?, resolved_after_release = ?
                   WHERE project_id = ? AND id = ?""";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, change.assignee());
            if (!change.keepResolution()) {
                ps.setString(i++, change.status());
                ps.setString(i++, change.substatus());
                ps.setBoolean(i++, change.resolve());
                ps.setString(i++, change.resolvedInRelease());
                ps.setString(i++, change.resolvedAfterRelease());
            }
            ps.setLong(i++, projectId);
            ps.setLong(i, issueId);
            ps.executeUpdate();
        }
    }

    /** Deletes the issue's ignore condition; the users counted for it go with it (V650). */
    private static void endIgnoreCondition(Connection c, long projectId, long issueId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM issue_snoozes WHERE project_id = ? AND issue_id = ?")) {
            ps.setLong(1, projectId);
            ps.setLong(2, issueId);
            ps.executeUpdate();
        }
    }

    /**
     * Stores the condition with the baselines the processor counts from (V610): times_seen, users_affected and the
     * events of the current minute (all read under the row lock) and, for untilEscalating, the hourly average.
     */
    private static void storeIgnoreCondition(Connection c, long projectId, long issueId, IgnoreCondition condition,
            String actor) throws SQLException {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Double hourlyAverage = IgnoreCondition.UNTIL_ESCALATING.equals(condition.condition())
                ? hourlyAverage(c, projectId, issueId, now) : null;
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO issue_snoozes (project_id, issue_id, condition, ignored_at, until, event_count,
                                           count_window_minutes, user_count, user_window_minutes, times_seen_at_ignore,
                                           users_at_ignore, minute_events_at_ignore, hourly_average, actor)
                SELECT i.project_id, i.id, ?, ?, ?, ?, ?, ?, ?, i.times_seen, i.users_affected,
                       COALESCE((SELECT m.events FROM issue_minute_counts m WHERE m.project_id = i.project_id
                                    AND m.issue_id = i.id AND m.minute = ?), 0), ?, ?
                  FROM issues i WHERE i.project_id = ? AND i.id = ?""")) {
            ps.setString(1, condition.condition());
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setTimestamp(3, condition.minutes() == null ? null
                    : Timestamp.from(now.plus(Duration.ofMinutes(condition.minutes()))));
            ps.setObject(4, condition.count(), Types.BIGINT);
            ps.setObject(5, condition.countWindowMinutes() == null ? null : condition.countWindowMinutes().intValue(),
                    Types.INTEGER);
            ps.setObject(6, condition.users(), Types.BIGINT);
            ps.setObject(7, condition.userWindowMinutes() == null ? null : condition.userWindowMinutes().intValue(),
                    Types.INTEGER);
            ps.setTimestamp(8, Timestamp.from(now.truncatedTo(ChronoUnit.MINUTES)));
            ps.setObject(9, hourlyAverage, Types.DOUBLE);
            ps.setString(10, actor);
            ps.setLong(11, projectId);
            ps.setLong(12, issueId);
            ps.executeUpdate();
        }
    }

    /** {@link IgnoreCondition#hourlyAverage} from the issue's minute counts of the week before {@code at}. */
    private static double hourlyAverage(Connection c, long projectId, long issueId, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT COALESCE(sum(events), 0), min(minute) FROM issue_minute_counts
                 WHERE project_id = ? AND issue_id = ? AND minute >= ? AND minute <= ?""")) {
            ps.setLong(1, projectId);
            ps.setLong(2, issueId);
            ps.setTimestamp(3, Timestamp.from(at.minus(IgnoreCondition.ESCALATION_BASELINE)));
            ps.setTimestamp(4, Timestamp.from(at));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Timestamp first = rs.getTimestamp(2);
                return IgnoreCondition.hourlyAverage(rs.getLong(1), first == null ? null : first.toInstant(), at);
            }
        }
    }

    private void record(Connection c, long projectId, long issueId, String kind, Map<String, Object> data,
            String actor) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO issue_activity (project_id, issue_id, kind, data, actor) VALUES (?, ?, ?, ?::jsonb, ?)""")) {
            ps.setLong(1, projectId);
            ps.setLong(2, issueId);
            ps.setString(3, kind);
            ps.setString(4, mapper.writeValueAsString(data));
            ps.setString(5, actor);
            ps.executeUpdate();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("activity data of " + kind + " is not serializable", e);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> json(String text) {
        try {
            return mapper.readValue(text, Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("issue_activity.data is not a JSON object", e);
        }
    }
}
