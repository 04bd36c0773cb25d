package dev.beatline.query.transactions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beatline.metricsmodel.DurationHistogram;
import org.junit.jupiter.api.Test;

class LatencyTest {

    private static byte[] histogramOf(long from, long to) {
        DurationHistogram h = new DurationHistogram();
        for (long us = from; us <= to; us++) {
            h.record(us, 1);
        }
        return h.encode();
    }

    @Test
    void percentilesOfMergedHistogramsAreThoseOfAllDurations() {
        // 1..1000 µs in one row, 1001..2000 in another: p50 = 1000, p95 = 1900, p99 = 1980 (within 1 %)
        Latency l = Latency.ofEncoded(new byte[][] {histogramOf(1, 1000), histogramOf(1001, 2000)});
        assertThat(l.p50Us()).isBetween(990.0, 1010.0);
        assertThat(l.p95Us()).isBetween(1881.0, 1919.0);
        assertThat(l.p99Us()).isBetween(1960.0, 2000.0);
    }

    @Test
    void noDurationsMeansNoPercentiles() {
        assertThat(Latency.ofEncoded(null)).isEqualTo(Latency.NONE);
        assertThat(Latency.ofEncoded(new byte[][] {new DurationHistogram().encode()})).isEqualTo(Latency.NONE);
        assertThat(Latency.NONE.p95Us()).isNull();
    }
}
