package dev.beatline.intake.elastic;

import dev.beatline.intake.IntakeConfig;
import dev.beatline.intake.IntakeMetrics;
import dev.beatline.intake.auth.AuthenticationException;
import dev.beatline.intake.auth.Credentials;
import dev.beatline.intake.auth.KeyStoreUnavailableException;
import dev.beatline.intake.auth.ProjectKeyCache;
import dev.beatline.intake.internal.ClientAddress;
import dev.beatline.intake.elastic.ElasticStreamDecoder.Format;
import dev.beatline.intake.elastic.ElasticStreamHandler.Stream;
import dev.beatline.intake.limits.KeyedRateLimiter;
import dev.beatline.intake.limits.RateLimit;
import dev.beatline.intake.rum.RumAccess;
import dev.beatline.intake.rum.RumAccessCache;
import dev.beatline.model.EventCodec;
import dev.beatline.model.keys.ProjectKey;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Elastic APM agents' endpoints, on their default port 8200: server information, event intake v2, the RUM
 * intakes (v2 and v3, anonymous per project or with a key) and central configuration. Answers as apm-server
 * does, except where NOTES/README say otherwise. Wiring only: streams run in {@link ElasticStreamHandler}.
 */
@Path("/")
public class ElasticIntakeResource {

    static final String PROTOCOL = "elastic";
    static final String PROTOCOL_RUM = "elastic-rum";
    static final String ONLY_POST = "only POST requests are supported";

    private final IntakeConfig config;
    private final ProjectKeyCache keys;
    private final RumAccessCache rumAccess;
    private final ElasticStreamHandler streams;
    private final IntakeMetrics metrics;
    private final KeyedRateLimiter rumIpLimiter = new KeyedRateLimiter(100_000);

    public ElasticIntakeResource(IntakeConfig config, ProjectKeyCache keys, RumAccessCache rumAccess,
            ElasticStreamHandler streams, IntakeMetrics metrics) {
        this.config = config;
        this.keys = keys;
        this.rumAccess = rumAccess;
        this.streams = streams;
        this.metrics = metrics;
    }

    // --- server information -------------------------------------------------------------------------

    /** Server information: agents read {@code version} and adapt to it. Answered to anyone, as agents need it. */
    @GET
    public Response serverInfo(@Context HttpHeaders headers) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("build_date", "2026-11-01T00:00:00Z");
        info.put("build_sha", "beatline");
        info.put("publish_ready", true);
        info.put("version", config.reportedServerVersion());
        return ElasticAnswers.body(Response.ok(), headers, info).build();
    }

    @HEAD
    public Response serverInfoHead() {
        return Response.ok().build();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response serverInfoWrongMethod(@Context HttpHeaders headers) {
        return ElasticAnswers.error(405, headers, "method not supported: this is the server information endpoint; "
                + "did you mean to send data to another endpoint instead?");
    }

    // --- backend intake -----------------------------------------------------------------------------

    @POST
    @Path("intake/v2/events")
    @Consumes(MediaType.WILDCARD)
    @Blocking
    public Response events(@Context HttpHeaders headers, @Context UriInfo uri, @Context HttpServerRequest request,
            InputStream body) {
        ProjectKey key;
        try {
            key = authenticate(headers);
        } catch (Refused e) {
            metrics.request(PROTOCOL, IntakeMetrics.UNKNOWN_PROJECT, e.response.getStatus(), e.reason);
            return e.response;
        }
        return streams.handle(new Stream(key.projectId(), key.projectSlug(), PROTOCOL, Format.V2, null, null,
                clientIp(headers, request)), headers, uri, body);
    }

    @GET
    @Path("intake/v2/events")
    public Response eventsGet(@Context HttpHeaders h) {
        return onlyPost(h);
    }

    @PUT
    @Path("intake/v2/events")
    @Consumes(MediaType.WILDCARD)
    public Response eventsPut(@Context HttpHeaders h) {
        return onlyPost(h);
    }

    @DELETE
    @Path("intake/v2/events")
    public Response eventsDelete(@Context HttpHeaders h) {
        return onlyPost(h);
    }

    @PATCH
    @Path("intake/v2/events")
    @Consumes(MediaType.WILDCARD)
    public Response eventsPatch(@Context HttpHeaders h) {
        return onlyPost(h);
    }

    @OPTIONS
    @Path("intake/v2/events")
    public Response eventsOptions(@Context HttpHeaders h) {
        return onlyPost(h);
    }

    @HEAD
    @Path("intake/v2/events")
    public Response eventsHead(@Context HttpHeaders h) {
        return onlyPost(h);
    }

    private Response onlyPost(HttpHeaders headers) {
        metrics.request(PROTOCOL, IntakeMetrics.UNKNOWN_PROJECT, 400, "method_not_allowed");
        return ElasticAnswers.stream(400, headers, 0, List.of(new StreamResult.StreamError(ONLY_POST, null)));
    }

    // --- RUM intake ---------------------------------------------------------------------------------

    @POST
    @Path("intake/v2/rum/events")
    @Consumes(MediaType.WILDCARD)
    @Blocking
    public Response rumV2(@Context HttpHeaders h, @Context UriInfo uri, @Context HttpServerRequest r, InputStream body) {
        return rum(Format.V2, uri.getQueryParameters().getFirst("key"), h, uri, r, body);
    }

    @POST
    @Path("intake/v3/rum/events")
    @Consumes(MediaType.WILDCARD)
    @Blocking
    public Response rumV3(@Context HttpHeaders h, @Context UriInfo uri, @Context HttpServerRequest r, InputStream body) {
        return rum(Format.RUM_V3, uri.getQueryParameters().getFirst("key"), h, uri, r, body);
    }

    @POST
    @Path("rum/{key}/intake/v2/rum/events")
    @Consumes(MediaType.WILDCARD)
    @Blocking
    public Response rumV2Keyed(@PathParam("key") String key, @Context HttpHeaders h, @Context UriInfo uri,
            @Context HttpServerRequest r, InputStream body) {
        return rum(Format.V2, key, h, uri, r, body);
    }

    @POST
    @Path("rum/{key}/intake/v3/rum/events")
    @Consumes(MediaType.WILDCARD)
    @Blocking
    public Response rumV3Keyed(@PathParam("key") String key, @Context HttpHeaders h, @Context UriInfo uri,
            @Context HttpServerRequest r, InputStream body) {
        return rum(Format.RUM_V3, key, h, uri, r, body);
    }

    @OPTIONS
    @Path("{p: (rum/[^/]+/)?intake/v[23]/rum/events}")
    @Blocking
    public Response rumPreflight(@PathParam("p") String path, @Context HttpHeaders headers, @Context UriInfo uri) {
        String origin = headers.getHeaderString("Origin");
        String key = path.startsWith("rum/") ? path.substring(4, path.indexOf('/', 4))
                : uri.getQueryParameters().getFirst("key");
        if (key != null) {
            try {
                RumAccess access = rumAccess.find(key).orElse(null);
                if (access == null) {
                    return ElasticAnswers.error(401, headers, "authentication failed");
                }
                if (!access.allowsOrigin(origin)) {
                    return originRefused(headers, origin);
                }
            } catch (KeyStoreUnavailableException e) {
                return Response.fromResponse(ElasticAnswers.error(503, headers, "service unavailable"))
                        .header("Retry-After", config.retryAfterSeconds()).build();
            }
        }
        return cors(Response.ok(), origin).header("Access-Control-Allow-Methods", "POST, OPTIONS")
                .header("Access-Control-Allow-Headers", "Content-Type, Content-Encoding, Accept, Authorization")
                .header("Access-Control-Max-Age", 3600).build();
    }

    private Response rum(Format format, String publicKey, HttpHeaders headers, UriInfo uri, HttpServerRequest request,
            InputStream body) {
        String origin = headers.getHeaderString("Origin");
        String ip = clientIp(headers, request);
        Stream stream;
        if (headers.getHeaderString(HttpHeaders.AUTHORIZATION) != null) {
            try {
                ProjectKey key = authenticate(headers);
                stream = new Stream(key.projectId(), key.projectSlug(), PROTOCOL_RUM, format, null, null, ip);
            } catch (Refused e) {
                metrics.request(PROTOCOL_RUM, IntakeMetrics.UNKNOWN_PROJECT, e.response.getStatus(), e.reason);
                return withCors(e.response, origin);
            }
        } else {
            RumAccess access;
            try {
                access = publicKey == null ? null : rumAccess.find(publicKey).orElse(null);
            } catch (KeyStoreUnavailableException e) {
                metrics.request(PROTOCOL_RUM, IntakeMetrics.UNKNOWN_PROJECT, 503, "key_store_unavailable");
                return Response.fromResponse(ElasticAnswers.error(503, headers, "service unavailable"))
                        .header("Retry-After", config.retryAfterSeconds()).build();
            }
            if (access == null) {
                metrics.request(PROTOCOL_RUM, IntakeMetrics.UNKNOWN_PROJECT, 401, "unauthorized");
                return withCors(ElasticAnswers.error(401, headers, publicKey == null
                        ? "authentication failed: anonymous RUM needs the project's public RUM key: "
                                + "serverUrl …/rum/<key> or ?key=<key>, or " + Credentials.EXPECTED
                        : "authentication failed"), origin);
            }
            if (!access.allowsOrigin(origin)) {
                metrics.request(PROTOCOL_RUM, access.projectSlug(), 403, "origin_not_allowed");
                return originRefused(headers, origin);
            }
            RateLimit ipLimit = access.ipLimit() != null ? access.ipLimit()
                    : new RateLimit(config.rumIpEventsPerSecond(), config.rumIpBurst());
            stream = new Stream(access.projectId(), access.projectSlug(), PROTOCOL_RUM, format,
                    rumIpLimiter.bucket(access.projectId() + "/" + ip, ipLimit), access.allowedAgents(), ip);
        }
        return withCors(streams.handle(stream, headers, uri, body), origin);
    }

    private static Response originRefused(HttpHeaders headers, String origin) {
        return ElasticAnswers.error(403, headers, "forbidden request: origin: '" + origin + "' is not allowed");
    }

    private static Response withCors(Response r, String origin) {
        return origin == null ? r : cors(Response.fromResponse(r), origin).build();
    }

    private static Response.ResponseBuilder cors(Response.ResponseBuilder b, String origin) {
        if (origin != null) {
            b.header("Access-Control-Allow-Origin", origin).header("Vary", "Origin");
        }
        return b.header("Access-Control-Expose-Headers", "Etag");
    }

    // --- central configuration ----------------------------------------------------------------------

    @GET
    @Path("config/v1/agents")
    @Blocking
    public Response agentConfig(@Context HttpHeaders headers, @Context UriInfo uri) {
        return agentConfig(headers, uri.getQueryParameters().getFirst("service.name"),
                ifNoneMatch(headers, uri.getQueryParameters().getFirst("ifnonematch")));
    }

    @POST
    @Path("config/v1/agents")
    @Consumes(MediaType.WILDCARD)
    @Blocking
    public Response agentConfigPost(@Context HttpHeaders headers, @Context UriInfo uri, byte[] body) {
        String service = uri.getQueryParameters().getFirst("service.name");
        if (service == null && body != null && body.length > 0) {
            try {
                var node = EventCodec.mapper().readTree(body);
                var s = node == null ? null : node.path("service").path("name");
                service = s == null || !s.isTextual() ? null : s.asText();
            } catch (IOException e) {
                return Response.fromResponse(ElasticAnswers.error(400, headers, "invalid JSON body: " + e.getMessage()))
                        .header("Cache-Control", "max-age=300, must-revalidate").build();
            }
        }
        return agentConfig(headers, service, ifNoneMatch(headers, uri.getQueryParameters().getFirst("ifnonematch")));
    }

    @PUT
    @Path("config/v1/agents")
    @Consumes(MediaType.WILDCARD)
    public Response agentConfigPut(@Context HttpHeaders headers) {
        return Response.fromResponse(ElasticAnswers.error(405, headers, "method not supported: PUT"))
                .header("Cache-Control", "max-age=300, must-revalidate").build();
    }

    /** No central configuration is stored yet: every service gets {@code {}} with the empty-config etag. */
    private Response agentConfig(HttpHeaders headers, String serviceName, String ifNoneMatch) {
        try {
            authenticate(headers);
        } catch (Refused e) {
            return e.response;
        }
        if (serviceName == null || serviceName.isEmpty()) {
            return Response.fromResponse(ElasticAnswers.error(400, headers, "service.name is required"))
                    .header("Cache-Control", "max-age=300, must-revalidate").build();
        }
        String etag = "-";
        if (etag.equals(ifNoneMatch)) {
            return Response.notModified().header("Cache-Control", "max-age=30, must-revalidate")
                    .header("Etag", "\"" + etag + "\"").build();
        }
        return ElasticAnswers.body(Response.ok(), headers, Map.of())
                .header("Cache-Control", "max-age=30, must-revalidate")
                .header("Etag", "\"" + etag + "\"").header("Access-Control-Expose-Headers", "Etag").build();
    }

    private static String ifNoneMatch(HttpHeaders headers, String query) {
        String h = headers.getHeaderString("If-None-Match");
        String v = h != null ? h : query;
        return v == null ? null : v.replace("\"", "").trim();
    }

    // --- helpers ------------------------------------------------------------------------------------

    private ProjectKey authenticate(HttpHeaders headers) {
        try {
            ProjectKey key = keys.authenticate(Credentials.parse(headers.getHeaderString(HttpHeaders.AUTHORIZATION)));
            if (!key.canIngest()) {
                throw new Refused("forbidden", ElasticAnswers.error(403, headers,
                        "forbidden request: this key may not ingest events (needs scope 'ingest')"));
            }
            return key;
        } catch (AuthenticationException e) {
            throw new Refused("unauthorized", ElasticAnswers.error(401, headers, e.getMessage()));
        } catch (KeyStoreUnavailableException e) {
            throw new Refused("key_store_unavailable", Response.fromResponse(ElasticAnswers.error(503, headers, "service unavailable: "
                    + e.getMessage())).header("Retry-After", config.retryAfterSeconds()).build());
        }
    }

    private static String clientIp(HttpHeaders headers, HttpServerRequest request) {
        return ClientAddress.of(headers.getHeaderString("X-Forwarded-For"), request);
    }

    /** An early answer (auth) carried out of a helper. */
    private static final class Refused extends RuntimeException {
        final String reason;
        final transient Response response;

        Refused(String reason, Response response) {
            super(null, null, false, false);
            this.reason = reason;
            this.response = response;
        }
    }
}
