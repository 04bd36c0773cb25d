package dev.beatline.processor.issues;

import static dev.beatline.processor.ProcessorTestSupport.applyBatch;
import static dev.beatline.processor.ProcessorTestSupport.error;
import static dev.beatline.processor.ProcessorTestSupport.queryLong;
import static dev.beatline.processor.ProcessorTestSupport.queryText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beatline.infra.Database;
import dev.beatline.infra.SharedInfra;
import dev.beatline.processor.ProcessorTestSupport;
import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A project's fingerprint and stack-trace rules, read from PostgreSQL by the processor, decide its issues. */
class ProjectGroupingRulesIT {

    private static Database db;
    private static AgroalDataSource ds;
    private final Instant now = Instant.now();

    @BeforeAll
    static void database() throws SQLException {
        db = ProcessorTestSupport.migratedDatabase(SharedInfra.get());
        ds = ProcessorTestSupport.dataSource(db);
    }

    @AfterAll
    static void close() {
        ds.close();
    }

    @Test
    void aProjectsRulesGroupItsEventsAndAChangeAppliesToLaterEvents() throws SQLException {
        long withRules = project("error.type:java.lang.IllegalStateException -> payments title=\"Payments failing\"");
        long without = project("");
        ErrorEventWriter writer = ProcessorTestSupport.errorWriter(100, Duration.ZERO);

        // the test events carry SDK fingerprints group-1 / group-2; the rule overrides them
        applyBatch(ds, writer, List.of(error(withRules, "shop", 1, "1.0", "u1", now), error(withRules, "shop", 2, "1.0", "u2", now),
                error(without, "shop", 1, "1.0", "u1", now), error(without, "shop", 2, "1.0", "u2", now)));
        assertThat(issues(withRules)).containsExactly("Payments failing x2");
        assertThat(queryText(db, "SELECT grouping_components::text FROM issues WHERE project_id = " + withRules))
                .contains("fingerprint: payments").contains("fingerprint rule: error.type:java.lang.IllegalStateException");
        assertThat(issues(without)).hasSize(2);

        execute("UPDATE projects SET fingerprint_rules = '', grouping_rules_version = grouping_rules_version + 1 "
                + "WHERE id = " + withRules);
        applyBatch(ds, writer, List.of(error(withRules, "shop", 1, "1.0", "u1", now.plusSeconds(1)),
                error(withRules, "shop", 2, "1.0", "u1", now.plusSeconds(1))));
        assertThat(issues(withRules)).as("back to the SDK's fingerprints").hasSize(3).contains("Payments failing x2");
    }

    @Test
    void unreadableStoredRulesFallBackToTheBuiltInGrouping() throws SQLException {
        long broken = project("this is not a rule");
        applyBatch(ds, ProcessorTestSupport.errorWriter(100, Duration.ZERO), List.of(error(broken, "shop", 1, "1.0", "u1", now)));
        assertThat(queryLong(db, "SELECT count(*) FROM issues WHERE project_id = " + broken)).isEqualTo(1);
    }

    @Test
    void rulesAreReadAgainOnlyAfterTheRefreshInterval() throws SQLException {
        long p = project("error.type:java.lang.IllegalStateException -> first");
        ProjectGroupings groupings = new ProjectGroupings(Duration.ofHours(1));
        try (Connection c = ds.getConnection()) {
            String before = groupings.forProjects(c, List.of(p)).get(p).fingerprint(error(p, "s", 1, null, null, now))
                    .fingerprint();
            execute("UPDATE projects SET fingerprint_rules = 'error.type:java.lang.IllegalStateException -> second', "
                    + "grouping_rules_version = grouping_rules_version + 1 WHERE id = " + p);
            assertThat(groupings.forProjects(c, List.of(p)).get(p).fingerprint(error(p, "s", 1, null, null, now))
                    .fingerprint()).as("cached").isEqualTo(before);
            assertThat(new ProjectGroupings(Duration.ZERO).forProjects(c, List.of(p)).get(p)
                    .fingerprint(error(p, "s", 1, null, null, now)).fingerprint()).isNotEqualTo(before);
        }
    }

    private static long project(String fingerprintRules) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO projects (slug, name, fingerprint_rules, grouping_rules_version) VALUES (?, ?, ?, 1) RETURNING id")) {
            String slug = "p-" + UUID.randomUUID().toString().substring(0, 8);
            ps.setString(1, slug);
            ps.setString(2, slug);
            ps.setString(3, fingerprintRules);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static List<String> issues(long project) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT title || ' x' || times_seen FROM issues WHERE project_id = " + project + " ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static void execute(String sql) throws SQLException {
        ProcessorTestSupport.execute(db, sql);
    }
}
