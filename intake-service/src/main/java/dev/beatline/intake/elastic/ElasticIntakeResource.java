package dev.beatline.intake.elastic;

import dev.beatline.intake.IntakeConfig;
import dev.beatline.intake.IntakeMetrics;
import dev.beatline.intake.auth.AuthenticationException;
import dev.beatline.intake.auth.Credentials;
import dev.beatline.intake.auth.KeyStoreUnavailableException;
import dev.beatline.model.keys.ProjectKey;
import dev.beatline.intake.auth.ProjectKeyCache;
import dev.beatline.intake.elastic.ElasticEventMapper.RequestInfo;
import dev.beatline.intake.internal.BodyDecoding;
import dev.beatline.intake.internal.LimitedInputStream;
import dev.beatline.intake.kafka.BrokerUnavailableException;
import dev.beatline.intake.kafka.EventPublisher;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.Producer;
import org.jboss.logging.Logger;

/**
 * The Elastic APM agents' endpoints, on their default port 8200: server information, event intake v2 and
 * central configuration. Answers as apm-server does, except where the README says otherwise.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class ElasticIntakeResource {

    static final String PROTOCOL = "elastic";
    private static final Logger LOG = Logger.getLogger(ElasticIntakeResource.class);

    private final IntakeConfig config;
    private final ProjectKeyCache keys;
    private final Producer<String, byte[]> producer;
    private final IntakeMetrics metrics;
    private final ElasticStreamDecoder decoder;

    public ElasticIntakeResource(IntakeConfig config, ProjectKeyCache keys, Producer<String, byte[]> producer,
            IntakeMetrics metrics) {
        this.config = config;
        this.keys = keys;
        this.producer = producer;
        this.metrics = metrics;
        this.decoder = new ElasticStreamDecoder(config.maxEventSize());
    }

    /** Server information: agents read {@code version} and adapt to it. Answered to anyone, as agents need it. */
    @GET
    public Map<String, Object> serverInfo() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("build_date", "2026-11-01T00:00:00Z");
        info.put("build_sha", "beatline");
        info.put("publish_ready", true);
        info.put("version", config.reportedServerVersion());
        return info;
    }

    @HEAD
    public Response serverInfoHead() {
        return Response.ok().build();
    }

    @GET
    @Path("intake/v2/events")
    public Response eventsWrongMethod() {
        return streamError(400, 0, List.of(new StreamResult.StreamError("only POST requests are supported", null)));
    }

    @POST
    @Path("intake/v2/events")
    @Consumes(MediaType.WILDCARD)
    @Blocking
    public Response events(@Context HttpHeaders headers, @Context UriInfo uri, @Context HttpServerRequest request,
            InputStream body) {
        Instant receivedAt = Instant.now();
        ProjectKey key;
        try {
            key = authenticate(headers);
        } catch (WebError e) {
            metrics.request(PROTOCOL, e.status);
            return e.response;
        }
        String contentType = headers.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (contentType != null && !contentType.isEmpty() && !contentType.contains("application/x-ndjson")) {
            return finish(key, 400, 0, List.of(new StreamResult.StreamError(
                    "invalid content type: '" + contentType + "'", null)), uri);
        }
        metrics.streamOpened();
        try {
            EventPublisher publisher = new EventPublisher(producer);
            StreamResult result;
            LimitedInputStream counted = null;
            try {
                InputStream decoded = BodyDecoding.decode(body, headers.getHeaderString("Content-Encoding"),
                        config.maxRequestSize());
                counted = (LimitedInputStream) decoded;
                result = decoder.decode(decoded, new RequestInfo(key.projectId(), receivedAt, clientIp(headers, request)),
                        publisher::publish);
            } catch (BodyDecoding.DecodingException e) {
                return finish(key, 400, 0, List.of(new StreamResult.StreamError(e.getMessage(), null)), uri);
            } catch (LimitedInputStream.LimitExceededException e) {
                metrics.rejected(PROTOCOL, key.projectSlug(), "request_too_large", publisher.pendingCount());
                return finish(key, 413, 0, List.of(new StreamResult.StreamError(e.getMessage(), null)), uri);
            } catch (java.util.zip.ZipException | java.io.EOFException e) {
                return finish(key, 400, 0, List.of(new StreamResult.StreamError(
                        "data decoding error: " + e.getMessage(), null)), uri);
            } catch (IOException e) {
                LOG.debugf("intake stream of project %s broke: %s", key.projectSlug(), e.getMessage());
                return finish(key, 400, 0, List.of(new StreamResult.StreamError(
                        "error reading request body: " + e.getMessage(), null)), uri);
            }
            if (counted != null) {
                metrics.bytesIn(PROTOCOL, counted.count());
            }
            long t0 = System.nanoTime();
            int acked;
            try {
                acked = publisher.awaitAcks(config.ackTimeout().toMillis());
            } catch (BrokerUnavailableException e) {
                LOG.warnf("503 for project %s: %s", key.projectSlug(), e.getMessage());
                metrics.rejected(PROTOCOL, key.projectSlug(), "kafka_unavailable", result.decoded());
                List<StreamResult.StreamError> errors = new ArrayList<>(result.errors());
                errors.add(0, new StreamResult.StreamError("cannot handle stream: " + e.getMessage(), null));
                return finish(key, 503, 0, errors, uri);
            }
            metrics.produceLatency(Duration.ofNanos(System.nanoTime() - t0));
            metrics.accepted(PROTOCOL, key.projectSlug(), acked);
            metrics.rejected(PROTOCOL, key.projectSlug(), "invalid", result.errorCount());
            if (result.hasErrors()) {
                return finish(key, 400, acked, result.errors(), uri);
            }
            return finish(key, 202, acked, List.of(), uri);
        } finally {
            metrics.streamClosed();
        }
    }

    @GET
    @Path("config/v1/agents")
    public Response agentConfig(@Context HttpHeaders headers, @Context UriInfo uri) {
        return agentConfig(headers, uri.getQueryParameters().getFirst("service.name"),
                ifNoneMatch(headers, uri.getQueryParameters().getFirst("ifnonematch")));
    }

    @POST
    @Path("config/v1/agents")
    @Consumes(MediaType.WILDCARD)
    public Response agentConfigPost(@Context HttpHeaders headers, @Context UriInfo uri, byte[] body) {
        String service = uri.getQueryParameters().getFirst("service.name");
        if (service == null && body != null && body.length > 0) {
            try {
                var node = dev.beatline.model.EventCodec.mapper().readTree(body);
                var s = node == null ? null : node.path("service").path("name");
                service = s == null || !s.isTextual() ? null : s.asText();
            } catch (IOException e) {
                return Response.status(400).header("Cache-Control", "max-age=300, must-revalidate")
                        .entity(Map.of("error", "invalid JSON body: " + e.getMessage())).build();
            }
        }
        return agentConfig(headers, service, ifNoneMatch(headers, uri.getQueryParameters().getFirst("ifnonematch")));
    }

    /** No central configuration is stored yet: every service gets {@code {}} with the empty-config etag. */
    private Response agentConfig(HttpHeaders headers, String serviceName, String ifNoneMatch) {
        try {
            authenticate(headers);
        } catch (WebError e) {
            return e.response;
        }
        if (serviceName == null || serviceName.isEmpty()) {
            return Response.status(400).header("Cache-Control", "max-age=300, must-revalidate")
                    .entity(Map.of("error", "service.name is required")).build();
        }
        String etag = "-";
        if (etag.equals(ifNoneMatch)) {
            return Response.notModified().header("Cache-Control", "max-age=30, must-revalidate")
                    .header("Etag", "\"" + etag + "\"").build();
        }
        return Response.ok(Map.of()).header("Cache-Control", "max-age=30, must-revalidate")
                .header("Etag", "\"" + etag + "\"").header("Access-Control-Expose-Headers", "Etag").build();
    }

    private static String ifNoneMatch(HttpHeaders headers, String query) {
        String h = headers.getHeaderString("If-None-Match");
        String v = h != null ? h : query;
        return v == null ? null : v.replace("\"", "").trim();
    }

    private ProjectKey authenticate(HttpHeaders headers) {
        try {
            ProjectKey key = keys.authenticate(Credentials.parse(headers.getHeaderString(HttpHeaders.AUTHORIZATION)));
            if (!key.canIngest()) {
                throw new WebError(403, Response.status(403).header("Connection", "close")
                        .entity(Map.of("error", "forbidden request: this key may not ingest events")).build());
            }
            return key;
        } catch (AuthenticationException e) {
            throw new WebError(401, Response.status(401).entity(Map.of("error", e.getMessage())).build());
        } catch (KeyStoreUnavailableException e) {
            throw new WebError(503, Response.status(503).header("Retry-After", config.retryAfterSeconds())
                    .entity(Map.of("error", "service unavailable: " + e.getMessage())).build());
        }
    }

    private Response finish(ProjectKey key, int status, int accepted, List<StreamResult.StreamError> errors, UriInfo uri) {
        metrics.request(PROTOCOL, status);
        if (status == 202) {
            return uri.getQueryParameters().containsKey("verbose")
                    ? Response.accepted(Map.of("accepted", accepted)).build()
                    : Response.accepted().build();
        }
        Response r = streamError(status, accepted, errors);
        return r;
    }

    private Response streamError(int status, int accepted, List<StreamResult.StreamError> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accepted", accepted);
        List<Map<String, String>> list = new ArrayList<>();
        for (StreamResult.StreamError e : errors) {
            Map<String, String> m = new LinkedHashMap<>();
            if (e.document() != null) {
                m.put("document", e.document());
            }
            m.put("message", e.message());
            list.add(m);
        }
        if (!list.isEmpty()) {
            body.put("errors", list);
        }
        Response.ResponseBuilder b = Response.status(status).header("Connection", "close").entity(body);
        if (status == 503 || status == 429) {
            b.header("Retry-After", config.retryAfterSeconds());
        }
        return b.build();
    }

    private static String clientIp(HttpHeaders headers, HttpServerRequest request) {
        String xff = headers.getHeaderString("X-Forwarded-For");
        if (xff != null && !xff.isBlank()) {
            int comma = xff.indexOf(',');
            return (comma < 0 ? xff : xff.substring(0, comma)).trim();
        }
        return request.remoteAddress() == null ? null : request.remoteAddress().host();
    }

    /** An early answer (auth) carried out of a helper. */
    private static final class WebError extends RuntimeException {
        final int status;
        final transient Response response;

        WebError(int status, Response response) {
            super(null, null, false, false);
            this.status = status;
            this.response = response;
        }
    }
}
