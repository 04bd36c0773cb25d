package dev.beatline.query.transactions;

import dev.beatline.metricsmodel.LatencyPercentiles;
import java.sql.Array;
import java.sql.SQLException;

/**
 * p50/p95/p99 of the duration histograms of a set of metric rows (merged with {@link LatencyPercentiles}); all
 * null when no duration was recorded.
 */
public record Latency(Double p50Us, Double p95Us, Double p99Us) {

    static final Latency NONE = new Latency(null, null, null);

    /** Merges encoded histograms (e.g. {@code array_agg(histogram)} of the rows of a group or bucket). */
    public static Latency ofEncoded(byte[][] histograms) {
        LatencyPercentiles merged = new LatencyPercentiles();
        if (histograms != null) {
            for (byte[] h : histograms) {
                merged.addEncoded(h);
            }
        }
        if (merged.count() <= 0) {
            return NONE;
        }
        return new Latency((double) merged.percentileUs(50), (double) merged.percentileUs(95),
                (double) merged.percentileUs(99));
    }

    /** Reads a {@code bytea[]} column (null = no rows). */
    static Latency ofSqlArray(Array histograms) throws SQLException {
        if (histograms == null) {
            return NONE;
        }
        try {
            return ofEncoded((byte[][]) histograms.getArray());
        } finally {
            histograms.free();
        }
    }
}
