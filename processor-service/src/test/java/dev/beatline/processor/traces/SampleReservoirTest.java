package dev.beatline.processor.traces;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beatline.processor.traces.SampleReservoir.Candidate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SampleReservoirTest {

    @Test
    void fillsFreePlacesThenOnlySlowerNewcomersReplaceTheFastest() {
        var d = SampleReservoir.decide(3, List.of(new Candidate("a", 10)),
                List.of(new Candidate("b", 5), new Candidate("c", 7), new Candidate("d", 6), new Candidate("e", 50)));
        assertThat(d.keep()).extracting(Candidate::id).containsExactly("c", "e");
        assertThat(d.evict()).isEmpty(); // b was kept by this batch, then replaced: never stored
    }

    @Test
    void evictsAStoredSampleForASlowerNewcomerAndIgnoresRedeliveredOnes() {
        var d = SampleReservoir.decide(2, List.of(new Candidate("a", 10), new Candidate("b", 20)),
                List.of(new Candidate("a", 10), new Candidate("c", 30)));
        assertThat(d.keep()).extracting(Candidate::id).containsExactly("c");
        assertThat(d.evict()).extracting(Candidate::id).containsExactly("a");
    }

    @Test
    void theSlowestIsAlwaysKeptAndTheSampleStaysBounded() {
        Random random = new Random(3);
        List<Candidate> kept = new ArrayList<>();
        long slowest = 0;
        for (int batch = 0; batch < 50; batch++) {
            List<Candidate> arrivals = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                long d = random.nextInt(1_000_000);
                slowest = Math.max(slowest, d);
                arrivals.add(new Candidate(batch + "-" + i, d));
            }
            var decision = SampleReservoir.decide(5, kept, arrivals);
            kept.removeAll(decision.evict());
            kept.addAll(decision.keep());
            assertThat(kept).hasSizeLessThanOrEqualTo(5);
            long max = slowest;
            assertThat(kept).anyMatch(c -> c.durationUs() == max);
        }
    }
}
