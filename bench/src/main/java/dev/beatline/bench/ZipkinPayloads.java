package dev.beatline.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Zipkin v2 JSON span lists for {@code POST /api/v2/spans} with fresh trace ids in every request (Zipkin's
 * in-memory store misbehaves when ids repeat): traces of one SERVER span and four CLIENT children, as a
 * traced service reports them. Uncompressed, as the peer is measured without compression.
 */
public final class ZipkinPayloads {

    private static final int SPANS_PER_TRACE = 5;

    private ZipkinPayloads() {
    }

    /** A JSON array of {@code spans} spans. */
    public static byte[] json(int spans) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder b = new StringBuilder(spans * 420).append('[');
        long nowUs = System.currentTimeMillis() * 1000;
        String traceId = null;
        String rootId = null;
        for (int i = 0; i < spans; i++) {
            if (i > 0) {
                b.append(',');
            }
            if (i % SPANS_PER_TRACE == 0) {
                traceId = Ids.hex(random, 16);
                rootId = Ids.hex(random, 8);
                b.append("{\"traceId\":\"").append(traceId).append("\",\"id\":\"").append(rootId)
                        .append("\",\"kind\":\"SERVER\",\"name\":\"get /api/orders\",\"timestamp\":").append(nowUs)
                        .append(",\"duration\":18437,\"localEndpoint\":{\"serviceName\":\"bench-orders\",")
                        .append("\"ipv4\":\"10.0.0.5\",\"port\":8080},\"remoteEndpoint\":{\"ipv4\":\"10.0.0.7\",")
                        .append("\"port\":51234},\"tags\":{\"http.method\":\"GET\",\"http.path\":\"/api/orders\",")
                        .append("\"http.status_code\":\"200\",\"mvc.controller.class\":\"OrderController\"}}");
            } else {
                b.append("{\"traceId\":\"").append(traceId).append("\",\"parentId\":\"").append(rootId)
                        .append("\",\"id\":\"").append(Ids.hex(random, 8))
                        .append("\",\"kind\":\"CLIENT\",\"name\":\"select orders\",\"timestamp\":")
                        .append(nowUs + 1_000L * (i % SPANS_PER_TRACE)).append(",\"duration\":2871,")
                        .append("\"localEndpoint\":{\"serviceName\":\"bench-orders\",\"ipv4\":\"10.0.0.5\"},")
                        .append("\"remoteEndpoint\":{\"serviceName\":\"postgresql\",\"ipv4\":\"10.0.0.9\",\"port\":5432},")
                        .append("\"tags\":{\"sql.query\":\"SELECT * FROM orders WHERE customer_id = ?\"}}");
            }
        }
        return b.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }
}
