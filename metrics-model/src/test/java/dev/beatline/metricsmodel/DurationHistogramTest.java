package dev.beatline.metricsmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DurationHistogramTest {

    @Test
    void fiveOneSecondTransactionsGiveApmServersWorkedExample() {
        // systemtest/approvals/TestTransactionAggregation.approved.json
        DurationHistogram h = new DurationHistogram();
        for (int i = 0; i < 5; i++) {
            h.record(1_000_000, 1);
        }
        DurationHistogram.Buckets b = DurationHistogram.decode(h.encode()).buckets();
        assertThat(b.values()).containsExactly(1003519L);
        assertThat(b.counts()).containsExactly(5L);
        assertThat(b.valueCount()).isEqualTo(5);
        assertThat(b.sum()).isEqualTo(5017595);
    }

    @Test
    void fractionalRepresentativeCountsAddUpExactly() {
        DurationHistogram h = new DurationHistogram();
        for (int i = 0; i < 30; i++) {
            h.record(2_000, 1 / 0.3);
        }
        // 1/0.3 is kept to 1/1000 per event (3.333), so 30 events are 99.99 and round to exactly 100
        assertThat(h.count()).isCloseTo(100.0, org.assertj.core.data.Offset.offset(0.03));
        assertThat(h.buckets().valueCount()).isEqualTo(100);
    }

    @Test
    void zeroRepresentativeCountRecordsNothingAndHugeDurationsAreClamped() {
        DurationHistogram h = new DurationHistogram();
        h.record(5_000, 0);
        assertThat(h.isEmpty()).isTrue();
        h.record(10 * DurationHistogram.HIGHEST_US, 1);
        assertThat(h.valueAtPercentile(100)).isBetween(DurationHistogram.HIGHEST_US, DurationHistogram.HIGHEST_US * 101 / 100);
    }

    @Test
    void mergedEncodedHistogramsGivePercentilesWithinOnePercent() {
        Random random = new Random(7);
        long[] all = new long[60_000];
        List<byte[]> parts = new java.util.ArrayList<>();
        for (int part = 0; part < 6; part++) {
            DurationHistogram h = new DurationHistogram();
            for (int i = 0; i < 10_000; i++) {
                long us = (long) Math.exp(7 + random.nextGaussian() * 1.5);
                all[part * 10_000 + i] = us;
                h.record(us, 1);
            }
            parts.add(h.encode());
        }
        Arrays.sort(all);
        LatencyPercentiles p = LatencyPercentiles.ofEncoded(parts);
        assertThat(p.count()).isEqualTo(60_000);
        for (double q : new double[] {50, 95, 99}) {
            long exact = all[(int) Math.ceil(q / 100 * all.length) - 1];
            assertThat((double) p.percentileUs(q)).as("p%s", q).isBetween(exact * 0.99, exact * 1.01 + 1);
        }
    }

    @Test
    void garbageIsRejected() {
        assertThatThrownBy(() -> DurationHistogram.decode(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}))
                .isInstanceOf(RuntimeException.class);
        assertThat(new LatencyPercentiles().percentileUs(99)).isZero();
    }

    @Test
    void addEncodedEqualsDecodeThenAddForEveryBucketAndCount() {
        Random random = new Random(3);
        for (int round = 0; round < 200; round++) {
            DurationHistogram source = new DurationHistogram();
            int n = random.nextInt(400);
            for (int i = 0; i < n; i++) {
                // 1 µs to beyond the 1 h clamp, log-uniform; representative counts up to 1e6 (multi-byte varints)
                long us = (long) Math.pow(10, random.nextDouble() * 9.7);
                source.record(us, random.nextInt(4) == 0 ? random.nextDouble() * 1_000_000 : 1 / (0.1 + random.nextDouble()));
            }
            DurationHistogram slow = new DurationHistogram();
            slow.record(1234, 1);
            DurationHistogram fast = new DurationHistogram();
            fast.record(1234, 1);
            byte[] encoded = source.encode();
            slow.add(DurationHistogram.decode(encoded));
            fast.addEncoded(encoded);
            assertThat(fast.encode()).as("round " + round).isEqualTo(slow.encode());
            assertThat(fast.count()).isEqualTo(slow.count());
            for (double p : new double[] {0, 50, 95, 99, 100}) {
                assertThat(fast.valueAtPercentile(p)).isEqualTo(slow.valueAtPercentile(p));
            }
        }
    }

    @Test
    void addEncodedRejectsGarbage() {
        byte[] encoded = new DurationHistogram().encode();
        byte[] truncated = Arrays.copyOf(encoded, encoded.length + 3);
        truncated[4] = 0;
        truncated[5] = 0;
        truncated[6] = 0;
        truncated[7] = 3;
        truncated[encoded.length] = (byte) 0x80;
        truncated[encoded.length + 1] = (byte) 0x80;
        truncated[encoded.length + 2] = (byte) 0x80;
        assertThatThrownBy(() -> new DurationHistogram().addEncoded(truncated))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DurationHistogram().addEncoded(new byte[] {1, 2, 3}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
