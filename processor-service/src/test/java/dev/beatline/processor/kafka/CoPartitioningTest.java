package dev.beatline.processor.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CoPartitioningTest {

    @Test
    void equalPartitionCountsAreCoPartitioned() {
        assertThat(CoPartitioning.check(Map.of("errors", 12, "transactions", 12, "spans", 12))).isEmpty();
        assertThat(CoPartitioning.check(Map.of("spans", 4))).isEmpty();
    }

    @Test
    void differentCountsAreNamedInTheWarning() {
        assertThat(CoPartitioning.check(Map.of("errors", 12, "transactions", 12, "spans", 24)))
                .hasValueSatisfying(w -> assertThat(w).contains("spans=24", "transactions=12")
                        .contains("Counts are not affected"));
    }
}
