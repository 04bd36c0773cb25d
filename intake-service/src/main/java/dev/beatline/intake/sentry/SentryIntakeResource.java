package dev.beatline.intake.sentry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beatline.intake.IntakeConfig;
import dev.beatline.intake.IntakeMetrics;
import dev.beatline.intake.auth.AuthenticationException;
import dev.beatline.intake.auth.KeyStoreUnavailableException;
import dev.beatline.intake.auth.ProjectKeyCache;
import dev.beatline.intake.internal.BodyDecoding;
import dev.beatline.intake.internal.ClientAddress;
import dev.beatline.intake.internal.LimitedInputStream;
import dev.beatline.intake.internal.ValidationException;
import dev.beatline.intake.kafka.BrokerUnavailableException;
import dev.beatline.intake.kafka.EventPublisher;
import dev.beatline.intake.limits.ProjectRateLimiter;
import dev.beatline.intake.limits.TokenBucket;
import dev.beatline.model.CanonicalEvent;
import dev.beatline.model.ClientReportEvent;
import dev.beatline.model.EventCodec;
import dev.beatline.model.keys.ProjectKey;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.Producer;
import org.jboss.logging.Logger;

/**
 * Sentry's ingestion endpoints, for unmodified Sentry SDKs: {@code POST {prefix}/api/{project}/envelope/},
 * {@code POST|GET {prefix}/api/{project}/store/}, and their CORS preflight. Any prefix before {@code /api/},
 * repeated or missing slashes are accepted, as Relay does. Answers as Relay does: {@code 200 {"id": …}} once
 * Kafka acknowledged everything ({@code {}} when no event was sent), errors as {@code {"detail", "causes"}}.
 */
@Path("/")
public class SentryIntakeResource {

    static final String PROTOCOL = "sentry";
    static final String WRONG_PROJECT = "event submission rejected with_reason: ProjectId";
    static final String RATE_LIMITED = "Sentry dropped data due to a quota or internal rate limit being reached. "
            + "This will not affect your application. See https://docs.sentry.io/product/accounts/quotas/ for more "
            + "information.";
    private static final String ENVELOPE_PATH = "{path: (.*/)?api/+[0-9]+/+envelope/*}";
    private static final String STORE_PATH = "{path: (.*/)?api/+[0-9]+/+store/*}";
    private static final Pattern PROJECT = Pattern.compile("(?:^|/)api/+([0-9]+)/+(?:envelope|store)/*$");
    private static final String ENVELOPE_CONTENT_TYPE = "application/x-sentry-envelope";
    private static final byte[] PIXEL_GIF = Base64.getDecoder()
            .decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");
    private static final Logger LOG = Logger.getLogger(SentryIntakeResource.class);

    private final IntakeConfig config;
    private final ProjectKeyCache keys;
    private final Producer<String, byte[]> producer;
    private final IntakeMetrics metrics;
    private final ProjectRateLimiter rateLimiter;
    private final SentryEnvelopeParser parser;
    private final SentryEventMapper mapper = new SentryEventMapper();

    public SentryIntakeResource(IntakeConfig config, SentryConfig sentryConfig, ProjectKeyCache keys,
            Producer<String, byte[]> producer, IntakeMetrics metrics, ProjectRateLimiter rateLimiter) {
        this.config = config;
        this.keys = keys;
        this.producer = producer;
        this.metrics = metrics;
        this.rateLimiter = rateLimiter;
        this.parser = new SentryEnvelopeParser(type -> switch (type) {
            case "attachment" -> sentryConfig.maxAttachmentSize();
            case "client_report" -> sentryConfig.maxClientReportSize();
            case "event", "transaction", "span", "log", "trace_metric", "session", "sessions", "user_report",
                    "feedback", "check_in" -> sentryConfig.maxEventSize();
            default -> config.maxRequestSize();
        });
    }

    @POST
    @Path(ENVELOPE_PATH)
    @Consumes(MediaType.WILDCARD)
    @Blocking
    public Response envelope(@PathParam("path") String path, @Context HttpHeaders headers, @Context UriInfo uri,
            @Context HttpServerRequest request, InputStream body) {
        return answer(() -> {
            Incoming in = incoming(path, headers, uri, request);
            byte[] bytes = readBody(body, headers);
            return ingest(in, parseEnvelope(bytes));
        });
    }

    @POST
    @Path(STORE_PATH)
    @Consumes(MediaType.WILDCARD)
    @Blocking
    public Response store(@PathParam("path") String path, @Context HttpHeaders headers, @Context UriInfo uri,
            @Context HttpServerRequest request, InputStream body) {
        return answer(() -> {
            Incoming in = incoming(path, headers, uri, request);
            byte[] bytes = readBody(body, headers);
            String contentType = headers.getHeaderString(HttpHeaders.CONTENT_TYPE);
            if (contentType != null && contentType.startsWith(ENVELOPE_CONTENT_TYPE)) {
                return ingest(in, parseEnvelope(bytes));
            }
            return ingestStoreEvent(in, storeJson(bytes));
        });
    }

    /** The pixel form used by very old browser clients: the event is the {@code sentry_data} parameter. */
    @GET
    @Path(STORE_PATH)
    @Blocking
    public Response storeGet(@PathParam("path") String path, @Context HttpHeaders headers, @Context UriInfo uri,
            @Context HttpServerRequest request) {
        Response r = answer(() -> {
            Incoming in = incoming(path, headers, uri, request);
            String data = uri.getQueryParameters().getFirst("sentry_data");
            if (data == null || data.isEmpty()) {
                throw new BadRequest(400, "empty request body", List.of());
            }
            return ingestStoreEvent(in, storeJson(data.getBytes(StandardCharsets.UTF_8)));
        });
        if (r.getStatus() != 200) {
            return r;
        }
        return cors(Response.ok(PIXEL_GIF, "image/gif")).build();
    }

    @OPTIONS
    @Path(ENVELOPE_PATH)
    public Response envelopePreflight(@Context HttpHeaders headers) {
        return preflight(headers);
    }

    @OPTIONS
    @Path(STORE_PATH)
    public Response storePreflight(@Context HttpHeaders headers) {
        return preflight(headers);
    }

    /** CORS preflight for browser SDKs, with the header list of Sentry's SDK documentation. */
    private static Response preflight(HttpHeaders headers) {
        String origin = headers.getHeaderString("Origin");
        return Response.ok()
                .header("Access-Control-Allow-Origin", origin == null ? "*" : origin)
                .header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
                .header("Access-Control-Allow-Headers", "x-sentry-auth, x-requested-with, x-forwarded-for, origin, "
                        + "referer, accept, authentication, authorization, content-encoding, transfer-encoding, "
                        + "content-type")
                .header("Access-Control-Max-Age", "3600")
                .header("Vary", "Origin")
                .build();
    }

    // ------------------------------------------------------------------------------------------ the flow

    /** The request's project, its key when the headers or query name one, and the mapping context. */
    private record Incoming(long projectId, String requestKey, ProjectKey key, Instant receivedAt, String clientIp) {
    }

    private Incoming incoming(String path, HttpHeaders headers, UriInfo uri, HttpServerRequest request) {
        Matcher m = PROJECT.matcher(path);
        if (!m.find()) {
            throw new BadRequest(400, "invalid project id", List.of());
        }
        long projectId;
        try {
            projectId = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new BadRequest(400, "invalid project id", List.of());
        }
        String requestKey = SentryAuth.fromRequest(headers.getHeaderString("X-Sentry-Auth"),
                headers.getHeaderString(HttpHeaders.AUTHORIZATION), uri.getQueryParameters());
        // a key named by the request is checked before its body is read
        ProjectKey key = requestKey == null ? null : key(requestKey, projectId);
        return new Incoming(projectId, requestKey, key, Instant.now(),
                ClientAddress.of(headers.getHeaderString("X-Forwarded-For"), request));
    }

    private ProjectKey key(String publicKey, long projectId) {
        ProjectKey key;
        try {
            key = keys.byPublicKey(publicKey);
        } catch (AuthenticationException e) {
            throw new SentryAuthException(401, "bad sentry DSN public key");
        }
        if (key.projectId() != projectId) {
            throw new SentryAuthException(403, WRONG_PROJECT);
        }
        if (!key.canIngest()) {
            throw new SentryAuthException(403, "event submission rejected with_reason: DisabledKey");
        }
        return key;
    }

    private byte[] readBody(InputStream body, HttpHeaders headers) {
        byte[] bytes;
        try (InputStream decoded = BodyDecoding.decode(body, headers.getHeaderString("Content-Encoding"),
                config.maxRequestSize())) {
            bytes = decoded.readAllBytes();
        } catch (LimitedInputStream.LimitExceededException e) {
            throw new ItemTooLargeException("envelope");
        } catch (IOException e) {
            throw new BadRequest(400, "failed to read request body", List.of(e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage()));
        }
        metrics.bytesIn(PROTOCOL, "decompressed", bytes.length);
        if (bytes.length == 0) {
            throw new BadRequest(400, "empty request body", List.of());
        }
        return bytes;
    }

    private SentryEnvelope parseEnvelope(byte[] bytes) {
        try {
            return parser.parse(bytes);
        } catch (EnvelopeFormatException e) {
            throw new BadRequest(400, "invalid event envelope", List.of(e.getMessage()));
        }
    }

    /**
     * A {@code /store/} body: JSON, or (without Content-Encoding, from old SDKs) base64 of zlib-compressed JSON.
     */
    private static JsonNode storeJson(byte[] bytes) {
        byte[] json = bytes;
        int first = firstNonSpace(bytes);
        if (first >= 0 && bytes[first] != '{') {
            try {
                byte[] compressed = Base64.getMimeDecoder().decode(new String(bytes, StandardCharsets.US_ASCII).trim());
                try (InputStream in = BodyDecoding.decode(new ByteArrayInputStream(compressed), "deflate",
                        Integer.MAX_VALUE)) {
                    json = in.readAllBytes();
                }
            } catch (IllegalArgumentException | IOException e) {
                json = bytes;
            }
        }
        try {
            return EventCodec.mapper().readTree(json);
        } catch (IOException e) {
            String msg = e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe ? jpe.getOriginalMessage()
                    : e.getMessage();
            throw new BadRequest(400, "invalid JSON data", List.of(msg));
        }
    }

    private static int firstNonSpace(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (!Character.isWhitespace(b[i])) {
                return i;
            }
        }
        return -1;
    }

    private Response ingest(Incoming in, SentryEnvelope envelope) {
        ProjectKey key = key(SentryAuth.resolve(in.requestKey(), envelope.header("dsn"), in.projectId()), in.projectId());
        SentryEventMapper.Result result = mapper.map(envelope, context(in, key));
        return publish(key, result);
    }

    private Response ingestStoreEvent(Incoming in, JsonNode event) {
        if (in.key() == null) {
            throw new SentryAuthException(401, SentryAuth.MISSING);
        }
        SentryEventMapper.Result result;
        try {
            result = mapper.mapStoreBody(event, context(in, in.key()));
        } catch (ValidationException e) {
            throw new BadRequest(400, "invalid JSON data", List.of(e.getMessage()));
        }
        return publish(in.key(), result);
    }

    private static SentryRequestContext context(Incoming in, ProjectKey key) {
        return new SentryRequestContext(key.projectId(), key.projectSlug(), in.receivedAt(), in.clientIp());
    }

    private Response publish(ProjectKey key, SentryEventMapper.Result result) {
        String project = key.projectSlug();
        metrics.rejectedEvents(PROTOCOL, project, "invalid", result.rejected().size());
        metrics.rejectedEvents(PROTOCOL, project, "ignored_type", result.ignored());
        if (result.events().isEmpty() && !result.rejected().isEmpty()) {
            LOG.debugf("sentry envelope of project %s refused: %s", project, result.rejected());
            throw new BadRequest(400, "invalid event envelope", result.rejected());
        }
        TokenBucket bucket = rateLimiter.bucket(key.projectId());
        if (!bucket.tryTake(result.events().size())) {
            int retryAfter = bucket.secondsUntilToken();
            metrics.rejectedEvents(PROTOCOL, project, "rate_limited", result.events().size());
            metrics.request(PROTOCOL, project, 429, "rate_limited");
            return cors(Response.status(429).entity(errorBody(RATE_LIMITED, List.of())))
                    .header("Retry-After", retryAfter)
                    .header("X-Sentry-Rate-Limits", retryAfter + "::project")
                    .header("X-Sentry-Error", RATE_LIMITED).build();
        }
        EventPublisher publisher = new EventPublisher(producer);
        result.events().forEach(publisher::publish);
        long t0 = System.nanoTime();
        int acked;
        try {
            acked = publisher.awaitAcks(config.ackTimeout().toMillis());
        } catch (BrokerUnavailableException e) {
            LOG.warnf("503 for project %s: %s", project, e.getMessage());
            metrics.rejectedEvents(PROTOCOL, project, "kafka_unavailable", result.events().size());
            metrics.request(PROTOCOL, project, 503, "kafka_unavailable");
            return cors(Response.status(503).entity(errorBody("failed to queue envelope", List.of(e.getMessage()))))
                    .header("Retry-After", config.retryAfterSeconds()).build();
        }
        metrics.produceLatency(PROTOCOL, Duration.ofNanos(System.nanoTime() - t0));
        metrics.acceptedEvents(PROTOCOL, project, acked);
        for (CanonicalEvent event : result.events()) {
            if (event instanceof ClientReportEvent report) {
                report.discarded().forEach(d -> metrics.sdkDiscarded(PROTOCOL, d.reason(), d.category(), d.quantity()));
            }
        }
        metrics.request(PROTOCOL, project, 200, "ok");
        Map<String, Object> body = new LinkedHashMap<>();
        if (result.eventId() != null) {
            body.put("id", result.eventId());
        }
        return cors(Response.ok(body, MediaType.APPLICATION_JSON)).build();
    }

    // ------------------------------------------------------------------------------------------ errors

    /** A 4xx decided while reading the request. */
    private static final class BadRequest extends RuntimeException {
        final int status;
        final List<String> causes;

        BadRequest(int status, String detail, List<String> causes) {
            super(detail, null, false, false);
            this.status = status;
            this.causes = causes;
        }
    }

    @FunctionalInterface
    private interface Handler {
        Response handle();
    }

    private static String reasonOf(int status) {
        return switch (status) {
            case 401 -> "unauthenticated";
            case 403 -> "forbidden";
            case 413 -> "request_too_large";
            case 503 -> "key_store_unavailable";
            default -> "invalid";
        };
    }

    /** Runs the handler and turns the refusals it throws into Sentry's error answers. */
    private Response answer(Handler handler) {
        int status;
        String detail;
        List<String> causes = List.of();
        Response.ResponseBuilder extra = null;
        try {
            return handler.handle();
        } catch (SentryAuthException e) {
            status = e.status();
            detail = e.getMessage();
        } catch (BadRequest e) {
            status = e.status;
            detail = e.getMessage();
            causes = e.causes;
        } catch (ItemTooLargeException e) {
            status = 413;
            detail = e.getMessage();
        } catch (EnvelopeFormatException e) {
            status = 400;
            detail = "invalid event envelope";
            causes = List.of(e.getMessage());
        } catch (KeyStoreUnavailableException e) {
            status = 503;
            detail = "the service is overloaded";
            causes = List.of(e.getMessage());
            extra = Response.status(503).header("Retry-After", config.retryAfterSeconds());
        }
        metrics.request(PROTOCOL, IntakeMetrics.UNKNOWN_PROJECT, status, reasonOf(status));
        Response.ResponseBuilder b = extra != null ? extra : Response.status(status);
        return cors(b.entity(errorBody(detail, causes))).type(MediaType.APPLICATION_JSON)
                .header("X-Sentry-Error", detail).build();
    }

    private static Map<String, Object> errorBody(String detail, List<String> causes) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("detail", detail);
        if (!causes.isEmpty()) {
            body.put("causes", new ArrayList<>(causes));
        }
        return body;
    }

    private static Response.ResponseBuilder cors(Response.ResponseBuilder b) {
        return b.header("Access-Control-Allow-Origin", "*")
                .header("Access-Control-Expose-Headers", "x-sentry-error, x-sentry-rate-limits, retry-after");
    }
}
