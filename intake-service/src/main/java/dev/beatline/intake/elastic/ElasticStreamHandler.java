package dev.beatline.intake.elastic;

import dev.beatline.intake.IntakeConfig;
import dev.beatline.intake.IntakeMetrics;
import dev.beatline.intake.elastic.ElasticEventMapper.RequestInfo;
import dev.beatline.intake.internal.BodyDecoding;
import dev.beatline.intake.internal.LimitedInputStream;
import dev.beatline.intake.kafka.BrokerUnavailableException;
import dev.beatline.intake.kafka.EventPublisher;
import dev.beatline.intake.limits.ProjectRateLimiter;
import dev.beatline.intake.limits.TokenBucket;
import dev.beatline.model.CanonicalEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.Producer;
import org.jboss.logging.Logger;

/**
 * Runs one authenticated intake stream (backend v2, RUM v2 or RUM v3): checks the content type and the
 * project's rate, decodes the body as it arrives, publishes each event at once (taking one token per event),
 * waits for Kafka's acknowledgements and answers as apm-server does. Counts everything in {@link IntakeMetrics}.
 */
@ApplicationScoped
public class ElasticStreamHandler {

    private static final Logger LOG = Logger.getLogger(ElasticStreamHandler.class);
    static final String RATE_LIMITED = "too many requests: rate limit exceeded";

    /**
     * Who sends and under which extra rules.
     *
     * @param protocol      metrics label ({@code elastic}, {@code elastic-rum})
     * @param extraBucket   a second bucket every event also takes from (anonymous RUM: per client IP), or null
     * @param allowedAgents agent names accepted (anonymous RUM), or null for any
     */
    public record Stream(long projectId, String projectSlug, String protocol, ElasticStreamDecoder.Format format,
            TokenBucket extraBucket, Set<String> allowedAgents, String clientIp) {
    }

    /** Ends a stream early with a status and message. */
    private static final class StreamStopped extends RuntimeException {
        final int status;
        final String reason;

        StreamStopped(int status, String reason, String message) {
            super(message, null, false, false);
            this.status = status;
            this.reason = reason;
        }
    }

    private final IntakeConfig config;
    private final Producer<String, byte[]> producer;
    private final IntakeMetrics metrics;
    private final ProjectRateLimiter rateLimiter;
    private final Map<ElasticStreamDecoder.Format, ElasticStreamDecoder> decoders;

    public ElasticStreamHandler(IntakeConfig config, Producer<String, byte[]> producer, IntakeMetrics metrics,
            ProjectRateLimiter rateLimiter) {
        this.config = config;
        this.producer = producer;
        this.metrics = metrics;
        this.rateLimiter = rateLimiter;
        this.decoders = Map.of(
                ElasticStreamDecoder.Format.V2, new ElasticStreamDecoder(config.maxEventSize()),
                ElasticStreamDecoder.Format.RUM_V3, new ElasticStreamDecoder(config.maxEventSize(),
                        ElasticStreamDecoder.Format.RUM_V3));
    }

    public Response handle(Stream s, HttpHeaders headers, UriInfo uri, InputStream body) {
        Instant receivedAt = Instant.now();
        String contentType = headers.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (contentType != null && !contentType.isEmpty() && !contentType.contains("application/x-ndjson")) {
            return answer(s, "invalid_content_type", ElasticAnswers.stream(400, headers, 0, List.of(
                    new StreamResult.StreamError("invalid content type: '" + contentType + "'", null))));
        }
        TokenBucket projectBucket = rateLimiter.bucket(s.projectId());
        if (!projectBucket.hasToken() || (s.extraBucket() != null && !s.extraBucket().hasToken())) {
            TokenBucket empty = projectBucket.hasToken() ? s.extraBucket() : projectBucket;
            return answer(s, "rate_limited", Response.fromResponse(ElasticAnswers.error(429, headers, RATE_LIMITED))
                    .header("Retry-After", empty.secondsUntilToken()).build());
        }
        metrics.streamOpened();
        try {
            return stream(s, headers, uri, body, receivedAt, projectBucket);
        } finally {
            metrics.streamClosed();
        }
    }

    private Response stream(Stream s, HttpHeaders headers, UriInfo uri, InputStream body, Instant receivedAt,
            TokenBucket projectBucket) {
        EventPublisher publisher = new EventPublisher(producer);
        LimitedInputStream wire = new LimitedInputStream(body, Long.MAX_VALUE);
        LimitedInputStream decompressed = null;
        List<StreamResult.StreamError> errors = new ArrayList<>();
        int status = 202;
        String reason = "ok";
        StreamResult result = null;
        try {
            decompressed = BodyDecoding.decode(wire, headers.getHeaderString("Content-Encoding"), config.maxRequestSize());
            result = decoders.get(s.format()).decode(decompressed, new RequestInfo(s.projectId(), receivedAt, s.clientIp()),
                    event -> {
                        check(s, event, projectBucket);
                        publisher.publish(event);
                    });
        } catch (StreamStopped e) {
            status = e.status;
            reason = e.reason;
            errors.add(new StreamResult.StreamError(e.getMessage(), null));
            metrics.rejectedEvents(s.protocol(), s.projectSlug(), reason, 1);
        } catch (BodyDecoding.DecodingException e) {
            status = 400;
            reason = "bad_encoding";
            errors.add(new StreamResult.StreamError(e.getMessage(), null));
        } catch (LimitedInputStream.LimitExceededException e) {
            status = 413;
            reason = "request_too_large";
            errors.add(new StreamResult.StreamError(e.getMessage(), null));
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            status = 400;
            reason = "bad_encoding";
            errors.add(new StreamResult.StreamError("data decoding error: " + e.getMessage(), null));
        } catch (IOException e) {
            LOG.debugf("intake stream of project %s broke: %s", s.projectSlug(), e.getMessage());
            status = 400;
            reason = "broken_stream";
            errors.add(new StreamResult.StreamError("error reading request body: " + e.getMessage(), null));
        }
        metrics.bytesIn(s.protocol(), "wire", wire.count());
        if (decompressed != null) {
            metrics.bytesIn(s.protocol(), "decompressed", decompressed.count());
        }
        if (result != null && result.hasErrors()) {
            errors.addAll(result.errors());
            metrics.rejectedEvents(s.protocol(), s.projectSlug(), "invalid", result.errorCount());
            if (status == 202) {
                status = 400;
                reason = "invalid_events";
            }
        }
        long t0 = System.nanoTime();
        int acked;
        try {
            acked = publisher.awaitAcks(config.ackTimeout().toMillis());
        } catch (BrokerUnavailableException e) {
            LOG.warnf("503 for project %s: %s", s.projectSlug(), e.getMessage());
            metrics.rejectedEvents(s.protocol(), s.projectSlug(), "kafka_unavailable", publisher.pendingCount());
            errors.add(0, new StreamResult.StreamError("cannot handle stream: cannot process batch: " + e.getMessage(), null));
            return answer(s, "kafka_unavailable", Response.fromResponse(ElasticAnswers.stream(503, headers, 0, errors))
                    .header("Retry-After", config.retryAfterSeconds()).build());
        }
        metrics.produceLatency(s.protocol(), Duration.ofNanos(System.nanoTime() - t0));
        metrics.acceptedEvents(s.protocol(), s.projectSlug(), acked);
        if (status == 202) {
            Response ok = uri.getQueryParameters().containsKey("verbose")
                    ? ElasticAnswers.body(Response.accepted(), headers, Map.of("accepted", acked)).build()
                    : Response.accepted().build();
            return answer(s, reason, ok);
        }
        Response r = ElasticAnswers.stream(status, headers, acked, errors);
        if (status == 429) {
            r = Response.fromResponse(r).header("Retry-After", projectBucket.secondsUntilToken()).build();
        }
        return answer(s, reason, r);
    }

    /** Per event: the anonymous agent allow-list, then a token from each bucket. */
    private static void check(Stream s, CanonicalEvent event, TokenBucket projectBucket) {
        if (s.allowedAgents() != null) {
            String agent = event.header().agent() == null ? null : event.header().agent().name();
            if (agent == null || !s.allowedAgents().contains(agent)) {
                throw new StreamStopped(403, "agent_not_allowed", "cannot handle stream: cannot process batch: "
                        + "unauthorized: anonymous access not permitted for agent \"" + agent + "\"");
            }
        }
        if (!projectBucket.tryTake() || (s.extraBucket() != null && !s.extraBucket().tryTake())) {
            throw new StreamStopped(429, "rate_limited", "cannot handle stream: cannot process batch: rate limit exceeded");
        }
    }

    private Response answer(Stream s, String reason, Response r) {
        metrics.request(s.protocol(), s.projectSlug(), r.getStatus(), reason);
        return r;
    }
}
