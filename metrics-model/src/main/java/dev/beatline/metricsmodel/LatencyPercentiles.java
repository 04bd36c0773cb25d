package dev.beatline.metricsmodel;

/**
 * Percentiles over any time range and set of groups: merges the stored (encoded) histograms of the rows read
 * and answers percentiles from the merged histogram. What the query service uses to read latency. Pure;
 * not thread-safe.
 */
public final class LatencyPercentiles {

    private final DurationHistogram merged = new DurationHistogram();

    /** Merges all encoded histograms, e.g. the {@code histogram} column of the rows of a range. */
    public static LatencyPercentiles ofEncoded(Iterable<byte[]> encodedHistograms) {
        LatencyPercentiles p = new LatencyPercentiles();
        encodedHistograms.forEach(p::addEncoded);
        return p;
    }

    /** Merges one more encoded histogram; null (no histogram stored) adds nothing. */
    public LatencyPercentiles addEncoded(byte[] encodedHistogram) {
        if (encodedHistogram != null) {
            merged.addEncoded(encodedHistogram);
        }
        return this;
    }

    /** Representative count of all merged durations. */
    public double count() {
        return merged.count();
    }

    /** Duration in µs at {@code percentile} (0–100), within 1% above the true value; 0 when nothing was merged. */
    public long percentileUs(double percentile) {
        return merged.isEmpty() ? 0 : merged.valueAtPercentile(percentile);
    }

    /** The merged histogram (a live view; further merges change it). */
    public DurationHistogram histogram() {
        return merged;
    }
}
