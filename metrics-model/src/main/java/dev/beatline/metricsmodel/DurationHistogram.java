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
    // SCRATCH above must be initialised before ENCODING_COOKIE, which encodes once
    /** V2 header: cookie, payload length, normalizing offset, digits (ints), lowest, highest (longs), ratio. */
    private static final int HEADER_BYTES = 40;
    /** 2 significant digits from 1 µs: 256 sub-buckets, the lower half of each bucket above the first unused. */
    private static final int SUB_BUCKET_HALF_COUNT_MAGNITUDE = 7;
    private static final int SUB_BUCKET_HALF_COUNT = 1 << SUB_BUCKET_HALF_COUNT_MAGNITUDE;
    /** The V2 cookie HdrHistogram writes for these histograms (read from one, not hard-coded). */
    private static final int ENCODING_COOKIE = ByteBuffer.wrap(new DurationHistogram().encode()).getInt(0);

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

    /**
     * Adds the counts of an encoded histogram ({@link #encode()}'s output) to this one without decoding it into a
     * histogram of its own: reads the V2 payload and records each non-empty bucket, so merging many stored rows
     * costs their encoded size instead of a full counts array per row. Anything not produced with this class's
     * parameters takes the general path ({@link #decode} then {@link #add}).
     */
    public void addEncoded(byte[] encoded) {
        ByteBuffer in = ByteBuffer.wrap(encoded);
        if (encoded.length < HEADER_BYTES || in.getInt(0) != ENCODING_COOKIE || in.getInt(8) != 0
                || in.getInt(12) != SIGNIFICANT_DIGITS || in.getLong(16) != LOWEST_US
                || in.getInt(4) != encoded.length - HEADER_BYTES) {
            add(decode(encoded));
            return;
        }
        in.position(HEADER_BYTES);
        int index = 0;
        try {
            while (in.hasRemaining()) {
                long count = zigZagLong(in);
                if (count < 0) {
                    index += (int) -count;
                } else {
                    if (count > 0) {
                        histogram.recordValueWithCount(valueAtIndex(index), count);
                    }
                    index++;
                }
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not an encoded duration histogram: " + e.getMessage(), e);
        }
    }

    /** The lowest value of counts-array slot {@code index} for this class's parameters (HdrHistogram's layout). */
    private static long valueAtIndex(int index) {
        int bucket = (index >> SUB_BUCKET_HALF_COUNT_MAGNITUDE) - 1;
        int subBucket = (index & (SUB_BUCKET_HALF_COUNT - 1)) + SUB_BUCKET_HALF_COUNT;
        if (bucket < 0) {
            subBucket -= SUB_BUCKET_HALF_COUNT;
            bucket = 0;
        }
        return (long) subBucket << bucket;
    }

    /** HdrHistogram's zig-zag LEB128 long: 7 bits per byte for 8 bytes, then a full ninth byte. */
    private static long zigZagLong(ByteBuffer in) {
        long value = 0;
        int shift = 0;
        while (true) {
            long b = in.get();
            if (shift == 56) {
                value |= b << 56;
                break;
            }
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
            shift += 7;
        }
        return (value >>> 1) ^ -(value & 1);
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
