package dev.beatline.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Agent-like Elastic APM intake v2 request bodies with fresh ids, shaped after the Java agent's requests in
 * {@code shared/protocols/captures/elastic-java/}: a metadata line, then per trace one transaction (HTTP request
 * context), three spans (two database queries, one outgoing HTTP call) and a sampled error every fourth trace,
 * topped up with JVM metricsets to the requested event count. Compressed as agents do (gzip, best speed).
 */
public final class ElasticPayloads {

    /** Events per trace before metricsets fill the rest: 1 transaction + 3 spans. */
    private static final int EVENTS_PER_TRACE = 4;

    private ElasticPayloads() {
    }

    /** An uncompressed NDJSON body with {@code events} events after the metadata line. */
    public static byte[] ndjson(int events) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder b = new StringBuilder(events * 900);
        metadata(b);
        long nowUs = System.currentTimeMillis() * 1000;
        int written = 0;
        int trace = 0;
        while (events - written >= EVENTS_PER_TRACE + 1) {
            String traceId = Ids.hex(random, 16);
            String txId = Ids.hex(random, 8);
            String httpSpanId = Ids.hex(random, 8);
            transaction(b, nowUs, traceId, txId);
            dbSpan(b, nowUs + 1_000, traceId, txId, "SELECT FROM orders", "SELECT * FROM orders WHERE customer_id = ?");
            dbSpan(b, nowUs + 4_000, traceId, txId, "UPDATE order_lines", "UPDATE order_lines SET state = ? WHERE id = ?");
            httpSpan(b, nowUs + 7_000, traceId, txId, httpSpanId);
            written += EVENTS_PER_TRACE;
            if (trace++ % 4 == 0) {
                error(b, nowUs + 9_000, traceId, txId);
                written++;
            }
        }
        while (written < events) {
            metricset(b, nowUs, written);
            written++;
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@link #ndjson} compressed with gzip at best speed, as the agents compress. */
    public static byte[] gzipped(int events) {
        return gzip(ndjson(events));
    }

    static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 6);
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void metadata(StringBuilder b) {
        b.append("{\"metadata\":{\"service\":{\"name\":\"bench-orders\",\"environment\":\"bench\",\"agent\":{")
                .append("\"activation_method\":\"javaagent-flag\",\"name\":\"java\",\"ephemeral_id\":\"")
                .append("40873558-84ce-4c30-9fbf-9468eed813f7\",\"version\":\"1.55.1\"},\"language\":{\"name\":\"Java\",")
                .append("\"version\":\"17.0.15\"},\"runtime\":{\"name\":\"Java\",\"version\":\"17.0.15\"},\"version\":\"1.0.0\"},")
                .append("\"process\":{\"pid\":4863,\"ppid\":4815,\"title\":\"/opt/java/bin/java\"},\"system\":{")
                .append("\"architecture\":\"amd64\",\"detected_hostname\":\"bench-host\",\"platform\":\"Linux\"}}}\n");
    }

    private static void transaction(StringBuilder b, long ts, String traceId, String id) {
        b.append("{\"transaction\":{\"timestamp\":").append(ts).append(",\"name\":\"GET /api/orders\",\"id\":\"").append(id)
                .append("\",\"trace_id\":\"").append(traceId).append("\",\"type\":\"request\",\"duration\":18.437,")
                .append("\"result\":\"HTTP 2xx\",\"outcome\":\"success\",\"context\":{\"service\":{\"framework\":{")
                .append("\"name\":\"Spring Web MVC\",\"version\":\"6.1.3\"}},\"request\":{\"method\":\"GET\",\"headers\":{")
                .append("\"Accept\":\"application/json\",\"Host\":\"orders:8080\",\"User-Agent\":\"Java-http-client/17.0.15\"},")
                .append("\"url\":{\"full\":\"http://orders:8080/api/orders?customer=42\",\"hostname\":\"orders\",")
                .append("\"port\":\"8080\",\"pathname\":\"/api/orders\",\"search\":\"customer=42\",\"protocol\":\"http\"},")
                .append("\"socket\":{\"remote_address\":\"10.0.0.7\"},\"http_version\":\"1.1\"},\"response\":{")
                .append("\"status_code\":200,\"headers\":{\"Content-Type\":\"application/json\"},\"finished\":true,")
                .append("\"headers_sent\":true},\"user\":{\"id\":\"42\"}},\"span_count\":{\"dropped\":0,\"started\":3},")
                .append("\"dropped_spans_stats\":[],\"sample_rate\":1.0,\"sampled\":true}}\n");
    }

    private static void dbSpan(StringBuilder b, long ts, String traceId, String txId, String name, String statement) {
        b.append("{\"span\":{\"name\":\"").append(name).append("\",\"timestamp\":").append(ts)
                .append(",\"outcome\":\"success\",\"id\":\"").append(Ids.hex(ThreadLocalRandom.current(), 8))
                .append("\",\"trace_id\":\"").append(traceId).append("\",\"transaction_id\":\"").append(txId)
                .append("\",\"parent_id\":\"").append(txId).append("\",\"duration\":2.871,\"type\":\"db\",")
                .append("\"subtype\":\"postgresql\",\"action\":\"query\",\"stacktrace\":[{\"filename\":\"OrderRepository.java\",")
                .append("\"classname\":\"com.example.orders.OrderRepository\",\"function\":\"find\",\"library_frame\":false,")
                .append("\"lineno\":41,\"module\":\"\"}],\"context\":{\"db\":{\"instance\":\"orders\",\"statement\":\"")
                .append(statement).append("\",\"type\":\"sql\",\"user\":\"orders\",\"rows_affected\":1},\"destination\":{")
                .append("\"address\":\"db\",\"port\":5432,\"service\":{\"resource\":\"postgresql\",\"name\":\"\",\"type\":\"\"}},")
                .append("\"service\":{\"target\":{\"type\":\"postgresql\",\"name\":\"orders\"}}},\"sample_rate\":1.0}}\n");
    }

    private static void httpSpan(StringBuilder b, long ts, String traceId, String txId, String id) {
        b.append("{\"span\":{\"name\":\"GET inventory\",\"timestamp\":").append(ts)
                .append(",\"outcome\":\"success\",\"id\":\"").append(id).append("\",\"trace_id\":\"").append(traceId)
                .append("\",\"transaction_id\":\"").append(txId).append("\",\"parent_id\":\"").append(txId)
                .append("\",\"duration\":6.208,\"type\":\"external\",\"subtype\":\"http\",\"context\":{\"http\":{")
                .append("\"method\":\"GET\",\"status_code\":200,\"url\":\"http://inventory:8080/api/stock/42\"},")
                .append("\"destination\":{\"address\":\"inventory\",\"port\":8080,\"service\":{\"resource\":")
                .append("\"inventory:8080\",\"name\":\"\",\"type\":\"\"}},\"service\":{\"target\":{\"type\":\"http\",")
                .append("\"name\":\"inventory:8080\"}}},\"sample_rate\":1.0}}\n");
    }

    private static void error(StringBuilder b, long ts, String traceId, String txId) {
        b.append("{\"error\":{\"timestamp\":").append(ts).append(",\"id\":\"").append(Ids.hex(ThreadLocalRandom.current(), 16))
                .append("\",\"trace_id\":\"").append(traceId).append("\",\"transaction_id\":\"").append(txId)
                .append("\",\"parent_id\":\"").append(txId).append("\",\"transaction\":{\"name\":\"GET /api/orders\",")
                .append("\"type\":\"request\",\"sampled\":true},\"culprit\":\"com.example.orders.OrderService\",")
                .append("\"exception\":{\"message\":\"stock service answered 409 for order 42\",\"type\":")
                .append("\"java.lang.IllegalStateException\",\"handled\":true,\"stacktrace\":[");
        for (int i = 0; i < 12; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append("{\"filename\":\"OrderService.java\",\"classname\":\"com.example.orders.OrderService\",")
                    .append("\"function\":\"step").append(i).append("\",\"library_frame\":").append(i > 3)
                    .append(",\"lineno\":").append(100 + i).append(",\"module\":\"\"}");
        }
        b.append("]},\"context\":{\"tags\":{\"tenant\":\"acme\"}}}}\n");
    }

    private static void metricset(StringBuilder b, long ts, int n) {
        b.append("{\"metricset\":{\"timestamp\":").append(ts).append(",\"tags\":{\"name\":\"G1 Old Gen\"},\"samples\":{")
                .append("\"jvm.memory.heap.pool.committed\":{\"value\":58720256.0},\"jvm.memory.heap.pool.max\":{")
                .append("\"value\":6320816128.0},\"jvm.memory.heap.pool.used\":{\"value\":").append(22779392 + n)
                .append(".0}}}}\n");
    }
}
