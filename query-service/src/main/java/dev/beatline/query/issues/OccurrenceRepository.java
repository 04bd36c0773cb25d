package dev.beatline.query.issues;

import dev.beatline.query.api.Buckets;
import dev.beatline.query.api.Cursor;
import dev.beatline.query.issues.IssueDtos.OccurrenceSummary;
import dev.beatline.query.issues.IssueDtos.TagValue;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
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
import java.util.Optional;

/** SQL for table {@code error_events} (the occurrences of issues). */
@ApplicationScoped
public class OccurrenceRepository {

    private static final String SUMMARY_COLUMNS = """
            event_id, occurred_at, received_at, service_name, environment, release, level, message, trace_id,
            transaction_id""";

    /**
     * The tags a breakdown offers besides labels, as SQL over the sampled rows: constants, never client input.
     * {@code os} falls back to the host platform that Elastic agents report.
     */
    static final Map<String, String> TAG_EXPRESSIONS = tagExpressions();

    private final AgroalDataSource dataSource;

    public OccurrenceRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    private static Map<String, String> tagExpressions() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("service", "service_name");
        m.put("environment", "environment");
        m.put("release", "release");
        m.put("level", "level");
        m.put("browser", "payload #>> '{contexts,browser,name}'");
        m.put("os", "COALESCE(payload #>> '{contexts,os,name}', payload #>> '{header,host,platform}')");
        return Map.copyOf(m);
    }

    /** Occurrences of an issue, newest first, after {@code after} (occurred_at in µs + event id). */
    public List<OccurrenceSummary> list(long projectId, long issueId, Cursor after, int limit) throws SQLException {
        String sql = "SELECT " + SUMMARY_COLUMNS + " FROM error_events WHERE project_id = ? AND issue_id = ?"
                + (after == null ? "" : " AND (occurred_at, event_id) < (?, ?)")
                + " ORDER BY occurred_at DESC, event_id DESC LIMIT ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setLong(i++, projectId);
            ps.setLong(i++, issueId);
            if (after != null) {
                ps.setTimestamp(i++, Timestamp.from(IssueRepository.fromMicros(after.sortKeyAsLong())));
                ps.setString(i++, after.id());
            }
            ps.setInt(i, limit);
            List<OccurrenceSummary> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(summary(rs));
                }
            }
            return out;
        }
    }

    static Cursor cursorAfter(OccurrenceSummary o) {
        return new Cursor(Long.toString(IssueRepository.toMicros(o.occurredAt())), o.eventId());
    }

    /** The stored canonical JSON of the issue's latest occurrence. */
    public Optional<String> latestPayload(long projectId, long issueId) throws SQLException {
        return payload("""
                SELECT payload::text FROM error_events WHERE project_id = ? AND issue_id = ?
                 ORDER BY occurred_at DESC, event_id DESC LIMIT 1""", projectId, issueId, null);
    }

    /** The stored canonical JSON of one occurrence of the issue. */
    public Optional<String> payload(long projectId, long issueId, String eventId) throws SQLException {
        return payload("SELECT payload::text FROM error_events WHERE project_id = ? AND issue_id = ? AND event_id = ?",
                projectId, issueId, eventId);
    }

    private Optional<String> payload(String sql, long projectId, long issueId, String eventId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, projectId);
            ps.setLong(2, issueId);
            if (eventId != null) {
                ps.setString(3, eventId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /**
     * Value counts of the standard tags and of every label over the issue's latest {@code sample} occurrences,
     * keyed by tag ({@code label:<name>} for labels), most frequent first.
     */
    public Map<String, List<TagValue>> tagValues(long projectId, long issueId, int sample) throws SQLException {
        StringBuilder sql = new StringBuilder("""
                WITH recent AS MATERIALIZED (
                    SELECT service_name, environment, release, level, payload FROM error_events
                     WHERE project_id = ? AND issue_id = ? ORDER BY occurred_at DESC LIMIT ?)
                """);
        String union = "";
        for (Map.Entry<String, String> tag : TAG_EXPRESSIONS.entrySet()) {
            sql.append(union).append("SELECT '").append(tag.getKey()).append("', ").append(tag.getValue())
                    .append(", count(*) FROM recent GROUP BY 2\n");
            union = "UNION ALL ";
        }
        sql.append("""
                UNION ALL SELECT 'label:' || l.key, l.value, count(*)
                  FROM recent, jsonb_each_text(COALESCE(recent.payload #> '{header,labels}', '{}')) l GROUP BY 1, 2
                ORDER BY 1, 3 DESC, 2""");
        Map<String, List<TagValue>> out = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            ps.setLong(1, projectId);
            ps.setLong(2, issueId);
            ps.setInt(3, sample);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(new TagValue(rs.getString(2), rs.getLong(3)));
                }
            }
        }
        return out;
    }

    /** Occurrence counts per bucket start, only for buckets with occurrences. */
    public Map<Instant, Long> counts(long projectId, long issueId, Buckets buckets) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        SELECT date_bin(make_interval(secs => ?), occurred_at, ?::timestamptz) AS b, count(*)
                          FROM error_events
                         WHERE project_id = ? AND issue_id = ? AND occurred_at >= ? AND occurred_at < ?
                         GROUP BY b""")) {
            ps.setLong(1, buckets.interval().toSeconds());
            ps.setTimestamp(2, Timestamp.from(buckets.from()));
            ps.setLong(3, projectId);
            ps.setLong(4, issueId);
            ps.setTimestamp(5, Timestamp.from(buckets.from()));
            ps.setTimestamp(6, Timestamp.from(buckets.to()));
            Map<Instant, Long> out = new LinkedHashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getTimestamp(1).toInstant(), rs.getLong(2));
                }
            }
            return out;
        }
    }

    private static OccurrenceSummary summary(ResultSet rs) throws SQLException {
        return new OccurrenceSummary(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getTimestamp(3).toInstant(),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                rs.getString(10));
    }
}
