package dev.beatline.query.issues;

import static dev.beatline.query.QueryTestSupport.as;
import static dev.beatline.query.QueryTestSupport.insertIssue;
import static dev.beatline.query.QueryTestSupport.insertOccurrence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.beatline.infra.BeatlineTestResource;
import dev.beatline.model.Agent;
import dev.beatline.model.ErrorEvent;
import dev.beatline.model.EventHeader;
import dev.beatline.model.Service;
import dev.beatline.model.SourceProtocol;
import dev.beatline.model.TestEvents;
import dev.beatline.model.User;
import dev.beatline.query.QueryTestSupport;
import dev.beatline.query.QueryTestSupport.TestProject;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The issues API over issues and occurrences stored in PostgreSQL as the processor stores them. */
@QuarkusTest
@QuarkusTestResource(value = BeatlineTestResource.class, restrictToAnnotatedClass = false)
class IssuesApiIT {

    static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

    @Inject
    AgroalDataSource dataSource;

    TestProject project;
    String reader;
    long payment;
    long timeout;
    long npe;

    @BeforeEach
    void seed() throws Exception {
        project = QueryTestSupport.newProject();
        reader = QueryTestSupport.newKey(project.slug(), "read");
        payment = insertIssue(dataSource, project.id(), "IllegalStateException: payment declined 100%",
                "com.example.Pay in charge", "error", "checkout", "unresolved", T0, T0.plusSeconds(3600), 5, 3);
        timeout = insertIssue(dataSource, project.id(), "SocketTimeoutException: read timed out",
                "com.example.Stock in reserve", "warning", "inventory", "resolved", T0.minusSeconds(86400),
                T0.plusSeconds(60), 40, 1);
        npe = insertIssue(dataSource, project.id(), "NullPointerException", "com.example.Cart in add", "fatal",
                "checkout", "ignored", T0.plusSeconds(600), T0.plusSeconds(7200), 2, 9);
        for (int i = 0; i < 5; i++) {
            insertOccurrence(dataSource, payment, event(T0.plusSeconds(900L * i), i < 3 ? "production" : "staging",
                    i < 4 ? "1.0" : "1.1", i % 2 == 0 ? "Chrome" : "Firefox", "tenant-" + (i % 2)));
        }
        insertOccurrence(dataSource, timeout, event(T0.plusSeconds(60), "staging", "0.9", null, "tenant-9"));
        insertOccurrence(dataSource, npe, event(T0.plusSeconds(7200), "production", "2.0", "Safari", "tenant-1"));
    }

    private ErrorEvent event(Instant at, String environment, String release, String browser, String tenant) {
        ErrorEvent base = TestEvents.error(project.id(), "checkout");
        EventHeader h = new EventHeader(1, UUID.randomUUID().toString(), project.id(), at.plusMillis(5), at,
                SourceProtocol.SENTRY, new Service("checkout", release, environment, null, null, null, null, null, null, null),
                new Agent("sentry.java", "8.62.0"), null, new User("u-" + tenant, null, null, null), Map.of("tenant", tenant));
        Map<String, Object> contexts = browser == null ? Map.of("os", Map.of("name", "Linux"))
                : Map.of("browser", Map.of("name", browser, "version", "120"), "os", Map.of("name", "Windows"));
        return new ErrorEvent(h, base.trace(), base.level(), base.message(), null, null, base.culprit(), base.exceptions(),
                null, null, "java", "POST /checkout", "request", base.request(),
                List.of(new dev.beatline.model.Breadcrumb(at.minusSeconds(1), "http", "xhr", "info", "GET /cart", null)),
                contexts);
    }

    private JsonPath list(String query) {
        return as(reader).get("/api/v1/projects/" + project.slug() + "/issues" + query).then().statusCode(200)
                .extract().jsonPath();
    }

    private List<Long> ids(String query) {
        return list(query).getList("issues.id", Long.class);
    }

    /** LIKE wildcards in the text match themselves. */
    private List<Long> textSearch(String text) {
        return as(reader).queryParam("query", text).get("/api/v1/projects/{p}/issues", project.slug()).then()
                .statusCode(200).extract().jsonPath().getList("issues.id", Long.class);
    }

    @Test
    void sortsDescendingByEachKey() {
        assertThat(ids("")).containsExactly(npe, payment, timeout);
        assertThat(list("").getMap("")).containsOnlyKeys("project", "issues", "nextCursor");
        assertThat(ids("?sort=first_seen")).containsExactly(npe, payment, timeout);
        assertThat(ids("?sort=times_seen")).containsExactly(timeout, payment, npe);
        assertThat(ids("?sort=users")).containsExactly(npe, payment, timeout);
    }

    @Test
    void filtersByIssueColumnsOccurrencesAndText() {
        assertThat(ids("?status=resolved")).containsExactly(timeout);
        assertThat(ids("?service=checkout")).containsExactly(npe, payment);
        assertThat(ids("?level=FATAL")).containsExactly(npe);
        assertThat(ids("?environment=staging")).containsExactly(payment, timeout);
        assertThat(ids("?release=1.1")).containsExactly(payment);
        assertThat(ids("?query=TIMED")).containsExactly(timeout);
        assertThat(ids("?query=Cart")).containsExactly(npe);
        assertThat(textSearch("100%")).containsExactly(payment);
        assertThat(textSearch("_")).isEmpty();
        assertThat(ids("?environment=production&service=checkout&status=unresolved")).containsExactly(payment);
    }

    @Test
    void cursorWalksEverySortWithoutGapsOrRepeats() {
        for (String sort : List.of("last_seen", "first_seen", "times_seen", "users")) {
            List<Long> all = ids("?sort=" + sort);
            List<Long> walked = new ArrayList<>();
            String cursor = null;
            do {
                JsonPath page = list("?limit=1&sort=" + sort + (cursor == null ? "" : "&cursor=" + cursor));
                walked.addAll(page.getList("issues.id", Long.class));
                cursor = page.getString("nextCursor");
            } while (cursor != null);
            assertThat(walked).as(sort).isEqualTo(all);
        }
    }

    @Test
    void detailHasTheLatestEventWithInAppFramesRequestUserTagsBreadcrumbsAndContexts() {
        JsonPath d = as(reader).get("/api/v1/projects/{p}/issues/{i}", project.slug(), payment).then().statusCode(200)
                .body("issue.title", equalTo("IllegalStateException: payment declined 100%")).extract().jsonPath();
        assertThat(d.getString("latestEvent.occurredAt")).isEqualTo(T0.plusSeconds(3600).toString());
        assertThat(d.getString("latestEvent.service.version")).isEqualTo("1.1");
        assertThat(d.getList("latestEvent.exceptions[0].frames.inApp", Boolean.class)).containsExactly(false, true);
        assertThat(d.getString("latestEvent.request.method")).isEqualTo("POST");
        assertThat(d.getString("latestEvent.user.id")).isEqualTo("u-tenant-0");
        assertThat(d.getString("latestEvent.tags.tenant")).isEqualTo("tenant-0");
        assertThat(d.getString("latestEvent.breadcrumbs[0].message")).isEqualTo("GET /cart");
        assertThat(d.getString("latestEvent.contexts.browser.name")).isEqualTo("Chrome");
    }

    @Test
    void occurrencesPageNewestFirstAndOneCanBeOpened() {
        List<String> seen = new ArrayList<>();
        List<String> times = new ArrayList<>();
        String cursor = null;
        do {
            JsonPath page = as(reader).queryParam("limit", 2).queryParam("cursor", cursor == null ? "" : cursor)
                    .get("/api/v1/projects/{p}/issues/{i}/events", project.slug(), payment).then().statusCode(200)
                    .extract().jsonPath();
            seen.addAll(page.getList("items.eventId"));
            times.addAll(page.getList("items.occurredAt"));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        assertThat(seen).hasSize(5).doesNotHaveDuplicates();
        assertThat(times).isSortedAccordingTo((a, b) -> b.compareTo(a));
        as(reader).get("/api/v1/projects/{p}/issues/{i}/events/{e}", project.slug(), payment, seen.get(4))
                .then().statusCode(200).body("occurredAt", equalTo(T0.toString()));
        as(reader).get("/api/v1/projects/{p}/issues/{i}/events/{e}", project.slug(), timeout, seen.get(4))
                .then().statusCode(404);
    }

    @Test
    void tagBreakdownsCountValuesOfTheIssuesOccurrences() {
        JsonPath tags = as(reader).get("/api/v1/projects/{p}/issues/{i}/tags", project.slug(), payment).then()
                .statusCode(200).extract().jsonPath();
        assertThat(tags.getInt("sampleSize")).isEqualTo(IssuesResource.TAG_SAMPLE);
        assertThat(tags.getList("tags.key")).contains("browser", "os", "release", "environment", "service", "level",
                "label:tenant");
        assertThat(tags.getList("tags.find { it.key == 'browser' }.values.value")).containsExactly("Chrome", "Firefox");
        assertThat(tags.getList("tags.find { it.key == 'browser' }.values.count", Integer.class)).containsExactly(3, 2);
        assertThat(tags.getInt("tags.find { it.key == 'release' }.total")).isEqualTo(5);
        assertThat(tags.getList("tags.find { it.key == 'environment' }.values.value"))
                .containsExactly("production", "staging");
        assertThat(tags.getList("tags.find { it.key == 'label:tenant' }.values.count", Integer.class))
                .containsExactly(3, 2);

        JsonPath only = as(reader).queryParam("keys", "os,label:tenant")
                .get("/api/v1/projects/{p}/issues/{i}/tags", project.slug(), payment).then().extract().jsonPath();
        assertThat(only.getList("tags.key")).containsExactlyInAnyOrder("os", "label:tenant");
    }

    @Test
    void histogramCountsOccurrencesPerIntervalWithEmptyBuckets() {
        JsonPath h = as(reader).queryParam("from", T0.toString()).queryParam("to", T0.plusSeconds(7200).toString())
                .queryParam("interval", "30m")
                .get("/api/v1/projects/{p}/issues/{i}/histogram", project.slug(), payment).then().statusCode(200)
                .body("interval", equalTo("30m")).extract().jsonPath();
        // occurrences at +0, +15, +30, +45, +60 minutes
        assertThat(h.getList("points.count", Integer.class)).containsExactly(2, 2, 1, 0);
        assertThat(h.getString("points[0].t")).isEqualTo(T0.toString());
    }
}
