package dev.beatline.processor.traces;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides which transactions of one group and minute stay sampled: at most {@code capacity}, always including
 * the slowest seen so far. Already kept samples stay (stable for readers), newcomers fill free places in arrival
 * order, and a newcomer slower than every kept one takes the place of the fastest kept one. Pure.
 */
public final class SampleReservoir {

    /** A transaction by id and duration. */
    public record Candidate(String id, long durationUs) {
    }

    /** What changes: newcomers to keep, kept ones to evict. */
    public record Decision(List<Candidate> keep, List<Candidate> evict) {
    }

    private SampleReservoir() {
    }

    public static Decision decide(int capacity, List<Candidate> kept, List<Candidate> arrivals) {
        List<Candidate> current = new ArrayList<>(kept);
        Set<String> ids = new HashSet<>();
        kept.forEach(k -> ids.add(k.id()));
        List<Candidate> keep = new ArrayList<>();
        List<Candidate> evict = new ArrayList<>();
        Comparator<Candidate> byDuration = Comparator.comparingLong(Candidate::durationUs);
        for (Candidate a : arrivals) {
            if (!ids.add(a.id())) {
                continue; // kept before (a redelivered batch) or twice in this batch
            }
            if (current.size() < capacity) {
                current.add(a);
                keep.add(a);
                continue;
            }
            Candidate slowest = current.stream().max(byDuration).orElse(null);
            if (slowest == null || a.durationUs() > slowest.durationUs()) {
                Candidate fastest = current.stream().min(byDuration).orElseThrow();
                current.remove(fastest);
                if (!keep.remove(fastest)) {
                    evict.add(fastest);
                }
                current.add(a);
                keep.add(a);
            }
        }
        return new Decision(keep, evict);
    }
}
