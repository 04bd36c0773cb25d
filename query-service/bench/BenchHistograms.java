import dev.beatline.metricsmodel.DurationHistogram;
import java.util.HexFormat;
import java.util.Random;

/**
 * Prints the duration histograms the benchmark dataset reuses (CSV: kind,variant,hex of the stored encoding):
 * 64 "minute" variants (1-30 log-normal durations around 20-140 ms) and 64 "hour" variants (60 such minutes
 * merged). SQL cannot build HdrHistograms, so generate.sql picks one of these per row: sizes and merge cost are
 * those of real rows, the values of a minute and its hour are not consistent with each other.
 * Run: java -cp "query-service/target/quarkus-app/lib/main/*" query-service/bench/BenchHistograms.java
 */
public class BenchHistograms {

    public static void main(String[] args) {
        Random random = new Random(1);
        for (int v = 0; v < 64; v++) {
            DurationHistogram hour = new DurationHistogram();
            DurationHistogram firstMinute = null;
            for (int m = 0; m < 60; m++) {
                DurationHistogram minute = minute(random, v);
                hour.add(minute);
                if (firstMinute == null) {
                    firstMinute = minute;
                }
            }
            System.out.println("minute," + v + "," + HexFormat.of().formatHex(firstMinute.encode()));
            System.out.println("hour," + v + "," + HexFormat.of().formatHex(hour.encode()));
        }
    }

    private static DurationHistogram minute(Random random, int variant) {
        DurationHistogram h = new DurationHistogram();
        int n = 1 + random.nextInt(30);
        double medianUs = 20_000 + variant * 2_000;
        for (int i = 0; i < n; i++) {
            h.record((long) Math.max(1, medianUs * Math.exp(0.6 * random.nextGaussian())), 1);
        }
        return h;
    }
}
