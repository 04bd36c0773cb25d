package dev.beatline.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Canonical events for unit tests, shared with the other modules through the test-jar. */
public final class TestEvents {

    public static final Instant RECEIVED = Instant.parse("2026-11-01T10:15:30.123456Z");

    private TestEvents() {
    }

    public static EventHeader header(long projectId, String service) {
        return new EventHeader(EventHeader.CURRENT_SCHEMA, UUID.randomUUID().toString().replace("-", ""), projectId,
                RECEIVED, RECEIVED.minusMillis(250), SourceProtocol.ELASTIC_APM,
                new Service(service, "1.4.2", "production", "node-1", "java", "17", "Java", "17.0.15", "Spring", "6.1"),
                new Agent("java", "1.55.1"),
                new Host("web-1", "amd64", "linux", null, null, null, "10.0.0.7"),
                new User("42", "ada", "ada@example.com", null),
                Map.of("team", "checkout", "canary", true));
    }

    public static ErrorEvent error(long projectId, String service) {
        var frames = List.of(
                StackFrame.of("org.springframework.web.servlet.FrameworkServlet", "service", "FrameworkServlet.java", 897, false),
                StackFrame.of("com.example.shop.CheckoutController", "pay", "CheckoutController.java", 42, true));
        return new ErrorEvent(header(projectId, service),
                new TraceContext("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", "b7ad6b7169203331"),
                "error", "payment declined for order 1234", null, null,
                "com.example.shop.CheckoutController in pay",
                List.of(new ExceptionInfo("java.lang.IllegalStateException", "payment declined for order 1234",
                        null, false, null, frames)),
                null, null, "java", "POST /checkout", "request",
                new HttpRequest("POST", "https://shop.example.com/checkout", "a=1", Map.of("User-Agent", "curl/8"),
                        null, null, null, "1.1"),
                null, Map.of("runtime", Map.of("name", "Java")));
    }

    public static TransactionEvent transaction(long projectId, String service, long durationUs) {
        return new TransactionEvent(header(projectId, service),
                new TraceContext("0af7651916cd43dd8448eb211c80319c", null, null),
                "b7ad6b7169203331", "POST /checkout", "request", "HTTP 2xx", "success", durationUs,
                true, 1.0, 3, 0, 200, null, List.of(), null);
    }
}
