package dev.beatline.query.issues;

import static dev.beatline.query.QueryTestSupport.admin;
import static dev.beatline.query.QueryTestSupport.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.beatline.infra.BeatlineTestResource;
import dev.beatline.query.QueryTestSupport;
import dev.beatline.query.QueryTestSupport.TestProject;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Ignore with conditions through the API: each condition's substatus, the stored snooze with the baselines the
 * processor counts from (V610), its activity entry, its end on any other status change, and specific 400s for
 * every bad body (nothing changed).
 */
@QuarkusTest
@QuarkusTestResource(value = BeatlineTestResource.class, restrictToAnnotatedClass = false)
class IssueIgnoreIT {

    @Inject
    AgroalDataSource dataSource;

    TestProject project;
    String reader;
    long issue;
    String base;

    @BeforeEach
    void seed() throws Exception {
        project = QueryTestSupport.newProject();
        reader = QueryTestSupport.newKey(project.slug(), "read");
        Instant t = Instant.parse("2026-11-20T10:00:00Z");
        issue = QueryTestSupport.insertIssue(dataSource, project.id(), "boom", "app.Main", "error", "shop", "unresolved",
                t, t, 3, 1);
        base = "/api/v1/projects/" + project.slug() + "/issues/" + issue;
    }

    private JsonPath ignore(String body) {
        var request = admin();
        if (body != null) {
            request = request.contentType("application/json").body(body);
        }
        return request.post(base + "/ignore").then().statusCode(200).extract().jsonPath();
    }

    /** The issue's issue_snoozes row as column → value, empty when there is none. */
    private Map<String, Object> snooze() throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        SELECT condition, ignored_at, until, event_count, count_window_minutes, user_count,
                               user_window_minutes, times_seen_at_ignore, users_at_ignore, minute_events_at_ignore,
                               hourly_average, actor FROM issue_snoozes WHERE issue_id = ?""")) {
            ps.setLong(1, issue);
            try (ResultSet rs = ps.executeQuery()) {
                Map<String, Object> row = new LinkedHashMap<>();
                if (rs.next()) {
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
                    }
                }
                return row;
            }
        }
    }

    private String substatus() throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT status || '/' || substatus FROM issues WHERE id = ?")) {
            ps.setLong(1, issue);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private void minuteCount(Instant minute, long events) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO issue_minute_counts (project_id, issue_id, minute, events) VALUES (?, ?, ?, ?)")) {
            ps.setLong(1, project.id());
            ps.setLong(2, issue);
            ps.setTimestamp(3, Timestamp.from(minute.truncatedTo(ChronoUnit.MINUTES)));
            ps.setLong(4, events);
            ps.executeUpdate();
        }
    }

    @Test
    void eachConditionIsStoredWithItsBaselinesUntilAnotherStatusChangeEndsIt() throws Exception {
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        JsonPath ignored = ignore("{\"forMinutes\": 30}");
        assertThat(ignored.getString("status")).isEqualTo("ignored");
        assertThat(ignored.getString("substatus")).isEqualTo("archived_until_condition_met");
        Map<String, Object> s = snooze();
        assertThat(s.get("condition")).isEqualTo("for_minutes");
        Instant at = ((Timestamp) s.get("ignored_at")).toInstant();
        assertThat(at).isBetween(before, Instant.now());
        assertThat(((Timestamp) s.get("until")).toInstant()).isEqualTo(at.plus(Duration.ofMinutes(30)));
        assertThat(s).containsEntry("times_seen_at_ignore", 3L).containsEntry("users_at_ignore", 1L)
                .containsEntry("minute_events_at_ignore", 0L).containsEntry("event_count", null)
                .containsEntry("hourly_average", null);
        assertThat((String) s.get("actor")).startsWith("key:");

        // ignoring again replaces the condition; counts are read again
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE issues SET times_seen = 40, users_affected = 6 WHERE id = ?")) {
            ps.setLong(1, issue);
            ps.executeUpdate();
        }
        ignore("{\"untilCount\": 100, \"countWindowMinutes\": 60}");
        s = snooze();
        assertThat(s).containsEntry("condition", "until_count").containsEntry("event_count", 100L)
                .containsEntry("count_window_minutes", 60).containsEntry("until", null)
                .containsEntry("times_seen_at_ignore", 40L).containsEntry("users_at_ignore", 6L);
        ignore("{\"untilUsers\": 5, \"userWindowMinutes\": 1440}");
        assertThat(snooze()).containsEntry("condition", "until_users").containsEntry("user_count", 5L)
                .containsEntry("user_window_minutes", 1440).containsEntry("event_count", null);

        JsonPath detail = as(reader).get(base).then().statusCode(200).extract().jsonPath();
        assertThat(detail.getString("issue.substatus")).isEqualTo("archived_until_condition_met");
        assertThat(detail.getString("ignoreCondition.condition")).isEqualTo("until_users");
        assertThat(detail.getLong("ignoreCondition.userCount")).isEqualTo(5);
        assertThat(detail.getLong("ignoreCondition.timesSeenAtIgnore")).isEqualTo(40);
        assertThat(detail.getList("activity.kind")).containsExactly("set_ignored", "set_ignored", "set_ignored");
        assertThat(detail.getString("activity[0].data.condition")).isEqualTo("for_minutes");
        assertThat(detail.getLong("activity[0].data.minutes")).isEqualTo(30);
        assertThat(detail.getString("activity[0].data.previous_status")).isEqualTo("unresolved");
        assertThat(detail.getLong("activity[1].data.count_window_minutes")).isEqualTo(60);
        assertThat(detail.getString("activity[2].data.previous_status")).isEqualTo("ignored");

        // assigning keeps the ignore; unresolving ends it
        admin().contentType("application/json").body("{\"assignee\": \"ada\"}").put(base + "/assignee").then()
                .statusCode(200);
        assertThat(snooze()).containsEntry("condition", "until_users");
        JsonPath open = admin().post(base + "/unresolve").then().statusCode(200).extract().jsonPath();
        assertThat(open.getString("substatus")).isEqualTo("ongoing");
        assertThat(snooze()).isEmpty();
        assertThat(as(reader).get(base).then().statusCode(200).extract().jsonPath().getString("ignoreCondition")).isNull();

        // forever, with or without body: no condition stored
        assertThat(ignore(null).getString("substatus")).isEqualTo("archived_forever");
        assertThat(snooze()).isEmpty();
        ignore("{\"untilEscalating\": true}");
        assertThat(ignore("{\"forever\": true}").getString("substatus")).isEqualTo("archived_forever");
        assertThat(snooze()).isEmpty();
        ignore("{\"forMinutes\": 5}");
        admin().post(base + "/resolve").then().statusCode(200);
        assertThat(substatus()).isEqualTo("resolved/ongoing");
        assertThat(snooze()).isEmpty();
    }

    @Test
    void untilEscalatingStoresTheHourlyAverageOfTheWeekBeforeAndTheCurrentMinutesEvents() throws Exception {
        Instant now = Instant.now();
        minuteCount(now.minus(Duration.ofDays(8)), 5000); // older than the week: not in the average
        Instant first = now.minus(Duration.ofHours(10)).truncatedTo(ChronoUnit.MINUTES);
        for (int h = 0; h < 10; h++) {
            minuteCount(first.plus(Duration.ofHours(h)), 40);
        }
        JsonPath ignored = ignore("{\"untilEscalating\": true}");
        assertThat(ignored.getString("substatus")).isEqualTo("archived_until_escalating");
        Map<String, Object> s = snooze();
        Instant at = ((Timestamp) s.get("ignored_at")).toInstant();
        double hours = Duration.between(first, at).toMillis() / 3_600_000.0;
        assertThat((Double) s.get("hourly_average")).isCloseTo(400 / hours, within(1e-6));
        assertThat((Double) s.get("hourly_average")).isCloseTo(40.0, within(0.2));
        assertThat(as(reader).queryParam("substatus", "archived_until_escalating")
                .get("/api/v1/projects/" + project.slug() + "/issues").then().statusCode(200).extract().jsonPath()
                .getList("issues.id", Long.class)).containsExactly(issue);
        assertThat(as(reader).queryParam("substatus", "archived_forever")
                .get("/api/v1/projects/" + project.slug() + "/issues").then().statusCode(200).extract().jsonPath()
                .getList("issues")).isEmpty();

        // events of the ignore's own minute, counted before it, are its baseline
        Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        minuteCount(minute, 7);
        minuteCount(minute.plus(Duration.ofMinutes(1)), 7);
        ignore("{\"untilCount\": 3, \"countWindowMinutes\": 5}");
        Instant again = ((Timestamp) snooze().get("ignored_at")).toInstant();
        assertThat(snooze().get("minute_events_at_ignore"))
                .isEqualTo(again.truncatedTo(ChronoUnit.MINUTES).isAfter(minute.plus(Duration.ofMinutes(1))) ? 0L : 7L);
    }

    @Test
    void badIgnoreBodiesAreSpecific400sAndChangeNothing() throws Exception {
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("{\"forever\": true, \"forMinutes\": 5}", "body");
        refused.put("{\"untilEscalating\": true, \"untilUsers\": 2}", "body");
        refused.put("{\"forever\": false}", "forever");
        refused.put("{\"untilEscalating\": false}", "untilEscalating");
        refused.put("{\"forMinutes\": 0}", "forMinutes");
        refused.put("{\"forMinutes\": 525601}", "forMinutes");
        refused.put("{\"forMinutes\": 1.5}", "forMinutes");
        refused.put("{\"forMinutes\": \"soon\"}", "forMinutes");
        refused.put("{\"untilCount\": 10, \"countWindowMinutes\": 0}", "countWindowMinutes");
        refused.put("{\"countWindowMinutes\": 5}", "countWindowMinutes");
        refused.put("{\"untilCount\": 3, \"userWindowMinutes\": 5}", "userWindowMinutes");
        refused.put("{\"untilUsers\": -1}", "untilUsers");
        refused.put("{\"forMinute\": 5}", "forMinute");
        refused.put("{\"untilEscalating\": \"yes\"}", "untilEscalating");
        refused.put("{oops", "body");
        refused.put("[1]", "body");
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String> r : refused.entrySet()) {
            var response = admin().contentType("application/json").body(r.getKey()).post(base + "/ignore");
            String field = response.then().extract().jsonPath().getString("violations[0].field");
            if (response.statusCode() != 400 || !"application/problem+json".equals(response.contentType())
                    || !r.getValue().equals(field)) {
                wrong.add(r.getKey() + " -> " + response.statusCode() + " " + field);
            }
        }
        assertThat(wrong).isEmpty();
        as(reader).contentType("application/json").body("{\"forMinutes\": 5}").post(base + "/ignore").then()
                .statusCode(403);
        as(reader).queryParam("substatus", "sleeping").get("/api/v1/projects/" + project.slug() + "/issues").then()
                .statusCode(400).body("violations[0].field", org.hamcrest.Matchers.equalTo("substatus"));
        assertThat(substatus()).isEqualTo("unresolved/new");
        assertThat(snooze()).isEmpty();
        assertThat(as(reader).get(base).then().statusCode(200).extract().jsonPath().getList("activity")).isEmpty();
    }
}
