package dev.beatline.query.traces;

import static dev.beatline.query.QueryTestSupport.as;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beatline.infra.BeatlineTestResource;
import dev.beatline.model.ErrorEvent;
import dev.beatline.model.EventCodec;
import dev.beatline.model.EventHeader;
import dev.beatline.model.Service;
import dev.beatline.model.SpanEvent;
import dev.beatline.model.TestEvents;
import dev.beatline.model.TraceContext;
import dev.beatline.model.TransactionEvent;
import dev.beatline.query.MetricsFixture;
import dev.beatline.query.QueryTestSupport;
import dev.beatline.query.QueryTestSupport.TestProject;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A trace across two services (frontend calls backend): kept transactions, spans and an error stored as the
 * processor's TraceSampler and ErrorEventWriter store them, read back as one trace.
 */
@QuarkusTest
@QuarkusTestResource(value = BeatlineTestResource.class, restrictToAnnotatedClass = false)
class TracesApiIT {

    static final Instant T0 = Instant.parse("2026-11-20T10:00:05Z");

    @Inject
    AgroalDataSource dataSource;

    TestProject project;
    String reader;
    String traceId;

    @BeforeEach
    void seed() throws Exception {
        project = QueryTestSupport.newProject();
        reader = QueryTestSupport.newKey(project.slug(), "read");
        traceId = UUID.randomUUID().toString().replace("-", "");
        TransactionEvent front = transaction("frontend", "GET /", "aaaa000000000001", null, T0, 300_000);
        TransactionEvent back = transaction("backend", "GET /api/orders", "bbbb000000000001", "cccc000000000001",
                T0.plusMillis(20), 200_000);
        sample(front, "sample");
        sample(back, "error");
        span(span("frontend", "cccc000000000001", "aaaa000000000001", "aaaa000000000001", "GET backend",
                T0.plusMillis(10), 250_000, "backend:8080"));
        span(span("backend", "dddd000000000001", "bbbb000000000001", "bbbb000000000001", "SELECT FROM orders",
                T0.plusMillis(30), 150_000, "postgresql"));
        // the same trace id in another project must not show
        sample(transaction("other", "GET /", "eeee000000000001", null, T0, 1), "sample", project.id() + 100_000);
        ErrorEvent base = TestEvents.error(project.id(), "backend");
        EventHeader h = new EventHeader(1, UUID.randomUUID().toString(), project.id(), T0.plusMillis(100),
                T0.plusMillis(100), base.header().source(), service("backend"), null, null, null, null);
        ErrorEvent error = new ErrorEvent(h, new TraceContext(traceId, "bbbb000000000001", "dddd000000000001"), "error",
                "orders table is locked", null, null, null, base.exceptions(), null, null, "java", null, null, null,
                null, null);
        long issue = QueryTestSupport.insertIssue(dataSource, project.id(), "locked", null, "error", "backend",
                "unresolved", T0, T0, 1, 0);
        QueryTestSupport.insertOccurrence(dataSource, issue, error);
    }

    private TransactionEvent transaction(String service, String name, String id, String parentId, Instant start,
            long durationUs) {
        EventHeader h = header(service, start);
        return new TransactionEvent(h, new TraceContext(traceId, null, parentId), id, name, "request", "HTTP 2xx",
                "success", durationUs, true, 1.0, 1, 0, 200, null, List.of(), null);
    }

    private SpanEvent span(String service, String id, String transactionId, String parentId, String name,
            Instant start, long durationUs, String destination) {
        return new SpanEvent(header(service, start), new TraceContext(traceId, transactionId, parentId), id, name,
                "external", "http", "call", "success", durationUs, null, 1.0, destination, null, null, 0, 0, null);
    }

    private EventHeader header(String service, Instant start) {
        EventHeader base = TestEvents.header(project.id(), service);
        return new EventHeader(1, UUID.randomUUID().toString(), project.id(), start, start, base.source(),
                service(service), null, null, null, null);
    }

    private static Service service(String name) {
        return new Service(name, "1.0", "production", null, null, null, null, null, null, null);
    }

    private void sample(TransactionEvent t, String reason) throws Exception {
        sample(t, reason, project.id());
    }

    private void sample(TransactionEvent t, String reason, long projectId) throws Exception {
        Instant bucket = t.header().timestamp().truncatedTo(ChronoUnit.MINUTES);
        try (Connection c = dataSource.getConnection()) {
            MetricsFixture.ensurePartition(c, "trace_samples", bucket);
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO trace_samples (project_id, bucket, service_name, environment, transaction_type,
                           transaction_name, transaction_id, trace_id, duration_us, occurred_at, reason, payload)
                    VALUES (?, ?, ?, 'production', ?, ?, ?, ?, ?, ?, ?, ?::jsonb)""")) {
                ps.setLong(1, projectId);
                ps.setTimestamp(2, Timestamp.from(bucket));
                ps.setString(3, t.header().service().name());
                ps.setString(4, t.type());
                ps.setString(5, t.name());
                ps.setString(6, t.id());
                ps.setString(7, traceId);
                ps.setLong(8, t.durationUs());
                ps.setTimestamp(9, Timestamp.from(t.header().timestamp()));
                ps.setString(10, reason);
                ps.setString(11, new String(EventCodec.encode(t), StandardCharsets.UTF_8));
                ps.executeUpdate();
            }
        }
    }

    private void span(SpanEvent s) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            MetricsFixture.ensurePartition(c, "trace_spans", s.header().timestamp());
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO trace_spans (project_id, transaction_id, span_id, trace_id, occurred_at, payload)
                    VALUES (?, ?, ?, ?, ?, ?::jsonb)""")) {
                ps.setLong(1, project.id());
                ps.setString(2, s.trace().transactionId());
                ps.setString(3, s.id());
                ps.setString(4, traceId);
                ps.setTimestamp(5, Timestamp.from(s.header().timestamp()));
                ps.setString(6, new String(EventCodec.encode(s), StandardCharsets.UTF_8));
                ps.executeUpdate();
            }
        }
    }

    @Test
    void traceJoinsTransactionsSpansAndErrorsAcrossServices() {
        JsonPath t = as(reader).get("/api/v1/projects/{p}/traces/{t}", project.slug(), traceId).then().statusCode(200)
                .extract().jsonPath();
        assertThat(t.getString("traceId")).isEqualTo(traceId);
        assertThat(t.getList("transactions.id")).containsExactly("aaaa000000000001", "bbbb000000000001");
        assertThat(t.getList("transactions.service")).containsExactly("frontend", "backend");
        assertThat(t.getString("transactions[1].parentId")).isEqualTo("cccc000000000001");
        assertThat(t.getString("transactions[1].reason")).isEqualTo("error");
        assertThat(t.getLong("transactions[0].durationUs")).isEqualTo(300_000);
        assertThat(t.getList("spans.id")).containsExactly("cccc000000000001", "dddd000000000001");
        assertThat(t.getList("spans.transactionId")).containsExactly("aaaa000000000001", "bbbb000000000001");
        assertThat(t.getString("spans[1].destination")).isEqualTo("postgresql");
        assertThat(t.getList("errors.message")).containsExactly("orders table is locked");
        assertThat(t.getString("errors[0].transactionId")).isEqualTo("bbbb000000000001");
        assertThat(t.getLong("errors[0].issueId")).isPositive();
    }

    @Test
    void unknownOrMalformedTraceIsNotFoundAndNeedsAReadKey() {
        as(reader).get("/api/v1/projects/{p}/traces/{t}", project.slug(), "0123456789abcdef0123456789abcdef").then()
                .statusCode(404).contentType("application/problem+json");
        as(reader).get("/api/v1/projects/{p}/traces/{t}", project.slug(), "not-a-trace").then().statusCode(404);
        as(QueryTestSupport.INGEST_TOKEN).get("/api/v1/projects/{p}/traces/{t}", project.slug(), traceId).then()
                .statusCode(403);
        as(QueryTestSupport.newKey("default", "read")).get("/api/v1/projects/{p}/traces/{t}", project.slug(), traceId)
                .then().statusCode(403);
    }
}
