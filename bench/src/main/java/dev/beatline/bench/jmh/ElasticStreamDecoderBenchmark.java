package dev.beatline.bench.jmh;

import dev.beatline.bench.ElasticPayloads;
import dev.beatline.intake.elastic.ElasticEventMapper.RequestInfo;
import dev.beatline.intake.elastic.ElasticStreamDecoder;
import dev.beatline.intake.elastic.StreamResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The intake's Elastic decoding path without HTTP and Kafka: an agent-like NDJSON request (metadata + transactions,
 * spans, errors, metricsets; see {@link ElasticPayloads}) decoded, validated and mapped to canonical events.
 * Events per second = ops/s × {@code events}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
public class ElasticStreamDecoderBenchmark {

    @Param("100")
    int events;

    private byte[] ndjson;
    private ElasticStreamDecoder decoder;
    private RequestInfo request;

    @Setup
    public void setUp() {
        ndjson = ElasticPayloads.ndjson(events);
        decoder = new ElasticStreamDecoder(307_200);
        request = new RequestInfo(1L, Instant.now(), "10.0.0.7");
    }

    @Benchmark
    public StreamResult decodeRequest(Blackhole events) throws IOException {
        StreamResult result = decoder.decode(new ByteArrayInputStream(ndjson), request, events::consume);
        if (result.hasErrors()) {
            throw new IllegalStateException("benchmark payload rejected: " + result.errors());
        }
        return result;
    }
}
