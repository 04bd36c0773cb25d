package dev.beatline.query.admin;

import dev.beatline.query.admin.AdminDtos.GroupingRules;
import dev.beatline.query.admin.AdminDtos.ProjectView;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for table {@code projects}. */
@ApplicationScoped
public class ProjectRepository {

    private static final String COLUMNS = "id, slug, name, rate_limit_eps, rate_limit_burst, created_at";

    private final AgroalDataSource dataSource;

    public ProjectRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Projects by id, after {@code afterId}; fetches {@code limit} rows. */
    public List<ProjectView> list(long afterId, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT " + COLUMNS + " FROM projects WHERE id > ? ORDER BY id LIMIT ?")) {
            ps.setLong(1, afterId);
            ps.setInt(2, limit);
            List<ProjectView> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        }
    }

    public Optional<ProjectView> find(long id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM projects WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    /** Creates a project; empty when the slug is taken. */
    public Optional<ProjectView> create(String slug, String name) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO projects (slug, name) VALUES (?, ?) "
                        + "ON CONFLICT (slug) DO NOTHING RETURNING " + COLUMNS)) {
            ps.setString(1, slug);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    public Optional<ProjectView> rename(long id, String name) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "UPDATE projects SET name = ? WHERE id = ? RETURNING " + COLUMNS)) {
            ps.setString(1, name);
            ps.setLong(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    public Optional<ProjectView> setRateLimit(long id, Integer eventsPerSecond, Integer burst) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE projects SET rate_limit_eps = ?, rate_limit_burst = ? "
                        + "WHERE id = ? RETURNING " + COLUMNS)) {
            setNullableInt(ps, 1, eventsPerSecond);
            setNullableInt(ps, 2, burst);
            ps.setLong(3, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    /** The project's grouping rules, or empty when there is no such project. */
    public Optional<GroupingRules> groupingRules(long id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT fingerprint_rules, stacktrace_rules, "
                        + "grouping_rules_version FROM projects WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new GroupingRules(rs.getString(1), rs.getString(2), rs.getLong(3)))
                        : Optional.empty();
            }
        }
    }

    /** Replaces the project's grouping rules (already validated) and bumps their version. */
    public Optional<GroupingRules> setGroupingRules(long id, String fingerprintRules, String stackTraceRules)
            throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE projects SET fingerprint_rules = ?, "
                        + "stacktrace_rules = ?, grouping_rules_version = grouping_rules_version + 1 WHERE id = ? "
                        + "RETURNING fingerprint_rules, stacktrace_rules, grouping_rules_version")) {
            ps.setString(1, fingerprintRules);
            ps.setString(2, stackTraceRules);
            ps.setLong(3, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new GroupingRules(rs.getString(1), rs.getString(2), rs.getLong(3)))
                        : Optional.empty();
            }
        }
    }

    private static ProjectView row(ResultSet rs) throws SQLException {
        return new ProjectView(rs.getLong("id"), rs.getString("slug"), rs.getString("name"),
                (Integer) rs.getObject("rate_limit_eps"), (Integer) rs.getObject("rate_limit_burst"),
                rs.getTimestamp("created_at").toInstant());
    }

    private static void setNullableInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, v);
        }
    }
}
