package dev.beatline.query.issues;

import dev.beatline.query.api.Cursor;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * SQL for table {@code issues}. The WHERE clause is assembled from fixed fragments; every client value is a
 * bind parameter.
 */
@ApplicationScoped
public class IssueRepository {

    private static final String COLUMNS = """
            i.id, i.title, i.culprit, i.level, i.type, i.platform, i.service_name, i.status, i.substatus, i.first_seen,
            i.last_seen, i.times_seen, i.users_affected, i.first_release, i.last_release, i.fingerprint, i.environments,
            i.assignee, i.resolved_at, i.resolved_in_release, i.resolved_after_release""";

    private final AgroalDataSource dataSource;

    public IssueRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Up to {@code limit} issues matching {@code filter} in {@code sort} order after {@code after}. */
    public List<IssueSummary> list(long projectId, IssueFilter filter, IssueSort sort, Cursor after, int limit)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM issues i WHERE i.project_id = ?");
        List<Object> params = new ArrayList<>();
        params.add(projectId);
        if (filter.status() != null) {
            sql.append(" AND i.status = ?");
            params.add(filter.status());
        }
        if (filter.substatus() != null) {
            sql.append(" AND i.substatus = ?");
            params.add(filter.substatus());
        }
        if (filter.service() != null) {
            sql.append(" AND i.service_name = ?");
            params.add(filter.service());
        }
        if (filter.level() != null) {
            sql.append(" AND i.level = ?");
            params.add(filter.level());
        }
        if (filter.text() != null) {
            sql.append(" AND (i.title ILIKE ? ESCAPE '\\' OR i.culprit ILIKE ? ESCAPE '\\')");
            params.add(IssueFilter.containsPattern(filter.text()));
            params.add(IssueFilter.containsPattern(filter.text()));
        }
        if (filter.environment() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM error_events e WHERE e.project_id = i.project_id"
                    + " AND e.issue_id = i.id AND e.environment = ?)");
            params.add(filter.environment());
        }
        if (filter.release() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM error_events e WHERE e.project_id = i.project_id"
                    + " AND e.issue_id = i.id AND e.release = ?)");
            params.add(filter.release());
        }
        if (after != null) {
            sql.append(" AND (i.").append(sort.column).append(", i.id) < (?, ?)");
            params.add(sort.timestamp ? Timestamp.from(fromMicros(after.sortKeyAsLong())) : after.sortKeyAsLong());
            params.add(after.idAsLong());
        }
        sql.append(" ORDER BY i.").append(sort.column).append(" DESC, i.id DESC LIMIT ?");
        params.add(limit);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            List<IssueSummary> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        }
    }

    public Optional<IssueSummary> find(long projectId, long issueId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT " + COLUMNS + " FROM issues i WHERE i.project_id = ? AND i.id = ?")) {
            ps.setLong(1, projectId);
            ps.setLong(2, issueId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    /** The grouping components of an issue (why its events grouped together) as stored JSON; empty if none. */
    public Optional<String> groupingComponents(long projectId, long issueId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT grouping_components::text FROM issues WHERE project_id = ? AND id = ?")) {
            ps.setLong(1, projectId);
            ps.setLong(2, issueId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** The cursor that continues after {@code issue} in {@code sort} order. */
    static Cursor cursorAfter(IssueSummary issue, IssueSort sort) {
        String key = switch (sort) {
            case LAST_SEEN -> Long.toString(toMicros(issue.lastSeen()));
            case FIRST_SEEN -> Long.toString(toMicros(issue.firstSeen()));
            case TIMES_SEEN -> Long.toString(issue.timesSeen());
            case USERS -> Long.toString(issue.usersAffected());
        };
        return new Cursor(key, Long.toString(issue.id()));
    }

    static long toMicros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }

    static Instant fromMicros(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    private static IssueSummary row(ResultSet rs) throws SQLException {
        return new IssueSummary(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getTimestamp(10).toInstant(),
                rs.getTimestamp(11).toInstant(), rs.getLong(12), rs.getLong(13), rs.getString(14), rs.getString(15),
                rs.getString(16), List.of((String[]) rs.getArray(17).getArray()), rs.getString(18),
                rs.getTimestamp(19) == null ? null : rs.getTimestamp(19).toInstant(), rs.getString(20), rs.getString(21));
    }
}
