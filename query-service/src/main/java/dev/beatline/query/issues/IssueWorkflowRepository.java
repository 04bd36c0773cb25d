package dev.beatline.query.issues;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beatline.query.issues.IssueDtos.Activity;
import dev.beatline.query.issues.IssueTransitions.Change;
import dev.beatline.query.issues.IssueTransitions.State;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    /** Applies {@code action} to the issue and records its activity; false when the issue does not exist. */
    public boolean apply(long projectId, long issueId, Function<State, Change> action, String actor)
            throws SQLException {
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
