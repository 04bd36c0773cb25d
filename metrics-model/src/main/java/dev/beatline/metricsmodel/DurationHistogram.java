package dev.beatline.metricsmodel;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * A histogram of durations in microseconds with apm-server's parameters (lowest 1 µs, highest 3.6e9 µs = 1 h,
 * 2 significant digits). Counts are recorded ×{@value #COUNT_SCALE} so that fractional representative counts
 * ({@code 1/sample_rate}) add up exactly, and rounded back when read, as apm-server does. Stored in PostgreSQL
 * in HdrHistogram's V2 encoding ({@link #encode()}/{@link #decode(byte[])}): counts as zig-zag LEB128 varints
 * with runs of empty buckets collapsed, so a typical latency histogram takes a few hundred bytes. Deliberately
 * not HdrHistogram's deflated variant: it sets up a zlib stream per histogram (the processor encodes one per
 * row per batch) for little gain on data this small, and PostgreSQL compresses large values itself (TOAST).
 * Not thread-safe.
 */
public final class DurationHistogram {

    public static final long LOWEST_US = 1;
    public static final long HIGHEST_US = 3_600_000_000L;
    public static final int SIGNIFICANT_DIGITS = 2;
    /** Counts are stored multiplied by this, so representative counts such as 1/0.3 stay exact to 1/1000. */
    public static final long COUNT_SCALE = 1000;

    /** Per-thread buffer {@link #encode()} writes into before copying out the used bytes. */
    private static final ThreadLocal<ByteBuffer> SCRATCH = ThreadLocal.withInitial(() -> ByteBuffer.allocate(0));

    private final Histogram histogram;

    public DurationHistogram() {
        this(new Histogram(LOWEST_US, HIGHEST_US, SIGNIFICANT_DIGITS));
    }

    private DurationHistogram(Histogram histogram) {
        this.histogram = histogram;
    }

    /** Decodes {@link #encode()}'s output. */
    public static DurationHistogram decode(byte[] encoded) {
        try {
            return new DurationHistogram(Histogram.decodeFromByteBuffer(ByteBuffer.wrap(encoded), HIGHEST_US));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not an encoded duration histogram: " + e.getMessage(), e);
        }
    }

    /**
     * Records one duration standing for {@code representativeCount} events. Durations beyond one hour are
     * recorded as one hour (apm-server's range); a representative count that scales to 0 records nothing.
     */
    public void record(long durationUs, double representativeCount) {
        long scaledCount = Math.round(representativeCount * COUNT_SCALE);
        if (scaledCount <= 0) {
            return;
        }
        histogram.recordValueWithCount(Math.min(Math.max(durationUs, 0), HIGHEST_US), scaledCount);
    }

    /** Adds all of {@code other}'s counts to this one. */
    public void add(DurationHistogram other) {
        histogram.add(other.histogram);
    }

    /** Total representative count, unrounded (e.g. 10 transactions at sample rate 0.3 → 33.33). */
    public double count() {
        return histogram.getTotalCount() / (double) COUNT_SCALE;
    }

    public boolean isEmpty() {
        return histogram.getTotalCount() == 0;
    }

    /**
     * The value at a percentile (0–100): the highest value equivalent to the bucket holding that rank, so
     * within 1% above the true percentile of the recorded durations.
     */
    public long valueAtPercentile(double percentile) {
        return histogram.getValueAtPercentile(percentile);
    }

    /**
     * apm-server's {@code transaction.duration.histogram}: for each non-empty bucket, its highest equivalent
     * value and its count rounded back to whole events; and the summary sum Σ value×count over those buckets.
     */
    public Buckets buckets() {
        List<Long> values = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        long total = 0;
        long sum = 0;
        for (HistogramIterationValue v : histogram.recordedValues()) {
            long count = Math.round(v.getCountAtValueIteratedTo() / (double) COUNT_SCALE);
            if (count == 0) {
                continue;
            }
            long value = histogram.highestEquivalentValue(v.getValueIteratedTo());
            values.add(value);
            counts.add(count);
            total += count;
            sum += value * count;
        }
        return new Buckets(List.copyOf(values), List.copyOf(counts), total, sum);
    }

    /**
     * HdrHistogram's V2 encoding (zig-zag LEB128 counts, empty runs collapsed). Encodes into a per-thread
     * scratch buffer: the size HdrHistogram asks for is that of the full counts array (tens of KB at this
     * range), allocated per call it cost more than the encoding.
     */
    public byte[] encode() {
        int needed = histogram.getNeededByteBufferCapacity();
        ByteBuffer buffer = SCRATCH.get();
        if (buffer.capacity() < needed) {
            buffer = ByteBuffer.allocate(needed);
            SCRATCH.set(buffer);
        }
        buffer.clear();
        int length = histogram.encodeIntoByteBuffer(buffer);
        byte[] out = new byte[length];
        buffer.flip();
        buffer.get(out);
        return out;
    }

    /**
     * Buckets as apm-server reports them.
     *
     * @param values     highest equivalent value of each non-empty bucket, µs, ascending
     * @param counts     whole events per bucket
     * @param valueCount Σ counts ({@code transaction.duration.summary.value_count})
     * @param sum        Σ values×counts ({@code transaction.duration.summary.sum})
     */
    public record Buckets(List<Long> values, List<Long> counts, long valueCount, long sum) {
    }
}
