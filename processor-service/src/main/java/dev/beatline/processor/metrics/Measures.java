package dev.beatline.processor.metrics;

import dev.beatline.metricsmodel.DurationHistogram;

/**
 * What a histogram metrics row holds: representative counts (total, success, failure), the duration sum
 * weighted by representative count, raw min and max, and the duration histogram. Pure; not thread-safe.
 */
public final class Measures {

    private double count;
    private double successCount;
    private double failureCount;
    private double sumUs;
    private long minUs = Long.MAX_VALUE;
    private long maxUs = Long.MIN_VALUE;
    private DurationHistogram histogram = new DurationHistogram();

    /** One event of {@code durationUs} standing for {@code representativeCount} events. */
    public void record(long durationUs, double representativeCount, String outcome) {
        recordMany(1, durationUs, durationUs, representativeCount, outcome);
    }

    /**
     * {@code count} events of {@code sumUs} in total, each standing for {@code representativeCount} events, known
     * only by count and sum (a composite span, a dropped-spans entry): recorded in the histogram and min/max as
     * {@code count} events of their average duration.
     */
    public void recordAggregate(long count, long sumUs, double representativeCount, String outcome) {
        if (count <= 0) {
            return;
        }
        recordMany(count, sumUs, Math.round((double) sumUs / count), representativeCount, outcome);
    }

    private void recordMany(long events, long totalUs, long eachUs, double representativeCount, String outcome) {
        double n = events * representativeCount;
        count += n;
        if ("success".equals(outcome)) {
            successCount += n;
        } else if ("failure".equals(outcome)) {
            failureCount += n;
        }
        sumUs += totalUs * representativeCount;
        minUs = Math.min(minUs, eachUs);
        maxUs = Math.max(maxUs, eachUs);
        histogram.record(eachUs, n);
    }

    /** Adds another row's measures (another batch, or the stored row) to these. */
    public void add(Measures o) {
        count += o.count;
        successCount += o.successCount;
        failureCount += o.failureCount;
        sumUs += o.sumUs;
        minUs = Math.min(minUs, o.minUs);
        maxUs = Math.max(maxUs, o.maxUs);
        histogram.add(o.histogram);
    }

    /** Measures as stored in a row. */
    public static Measures stored(double count, double successCount, double failureCount, double sumUs, long minUs,
            long maxUs, byte[] histogram) {
        Measures m = new Measures();
        m.count = count;
        m.successCount = successCount;
        m.failureCount = failureCount;
        m.sumUs = sumUs;
        m.minUs = minUs;
        m.maxUs = maxUs;
        m.histogram = DurationHistogram.decode(histogram);
        return m;
    }

    public double count() {
        return count;
    }

    public double successCount() {
        return successCount;
    }

    public double failureCount() {
        return failureCount;
    }

    public double sumUs() {
        return sumUs;
    }

    public long minUs() {
        return minUs;
    }

    public long maxUs() {
        return maxUs;
    }

    public DurationHistogram histogram() {
        return histogram;
    }
}
