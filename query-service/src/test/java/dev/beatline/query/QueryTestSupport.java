package dev.beatline.query;

import static io.restassured.RestAssured.given;

import dev.beatline.model.ErrorEvent;
import dev.beatline.model.EventCodec;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Test helpers: projects and keys through the admin API (with the bootstrap admin token of the test
 * profile), and rows written the way the processor writes them.
 */
public final class QueryTestSupport {

    /** {@code %test.beatline.admin-token} in application.properties. */
    public static final String ADMIN_TOKEN = "test-admin-token";
    /** {@code %test.beatline.bootstrap-token}: an ingest-only key of project "default". */
    public static final String INGEST_TOKEN = "test-ingest-token";

    /** A project created through the API. */
    public record TestProject(long id, String slug) {
    }

    private QueryTestSupport() {
    }

    public static RequestSpecification as(String secret) {
        return given().header("Authorization", "Bearer " + secret);
    }

    public static RequestSpecification admin() {
        return as(ADMIN_TOKEN);
    }

    public static TestProject newProject() {
        String slug = "it-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> p = admin().contentType("application/json").body(Map.of("slug", slug, "name", "IT " + slug))
                .post("/api/v1/projects").then().statusCode(201).extract().jsonPath().getMap("");
        return new TestProject(((Number) p.get("id")).longValue(), slug);
    }

    /** Creates a key through the API and returns its secret. */
    public static String newKey(String project, String... scopes) {
        return admin().contentType("application/json").body(Map.of("name", "it key", "scopes", List.of(scopes)))
                .post("/api/v1/projects/{p}/keys", project).then().statusCode(201).extract().path("secret");
    }

    /** Inserts an issue row as the processor's upsert + count would leave it; returns its id. */
    public static long insertIssue(DataSource ds, long projectId, String title, String culprit, String level,
            String service, String status, Instant firstSeen, Instant lastSeen, long timesSeen, long users)
            throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO issues (project_id, fingerprint, grouping_config, title, culprit, level, type, platform,
                                            service_name, status, first_seen, last_seen, times_seen, users_affected,
                                            first_release, last_release)
                        VALUES (?, ?, 'test', ?, ?, ?, 'T', 'java', ?, ?, ?, ?, ?, ?, '1.0', '1.1') RETURNING id""")) {
            ps.setLong(1, projectId);
            ps.setString(2, UUID.randomUUID().toString());
            ps.setString(3, title);
            ps.setString(4, culprit);
            ps.setString(5, level);
            ps.setString(6, service);
            ps.setString(7, status);
            ps.setTimestamp(8, Timestamp.from(firstSeen));
            ps.setTimestamp(9, Timestamp.from(lastSeen));
            ps.setLong(10, timesSeen);
            ps.setLong(11, users);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Stores an occurrence with its canonical payload, as ErrorEventWriter does. */
    public static void insertOccurrence(DataSource ds, long issueId, ErrorEvent e) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO error_events (project_id, event_id, issue_id, occurred_at, received_at, service_name,
                                                  environment, release, level, message, trace_id, transaction_id,
                                                  payload)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)""")) {
            ps.setLong(1, e.header().projectId());
            ps.setString(2, e.header().eventId());
            ps.setLong(3, issueId);
            ps.setTimestamp(4, Timestamp.from(e.header().timestamp()));
            ps.setTimestamp(5, Timestamp.from(e.header().receivedAt()));
            ps.setString(6, e.header().service().name());
            ps.setString(7, e.header().service().environment());
            ps.setString(8, e.header().service().version());
            ps.setString(9, e.level());
            ps.setString(10, e.message());
            ps.setString(11, e.trace() == null ? null : e.trace().traceId());
            ps.setString(12, e.trace() == null ? null : e.trace().transactionId());
            ps.setString(13, new String(EventCodec.encode(e), StandardCharsets.UTF_8));
            ps.executeUpdate();
        }
    }
}
