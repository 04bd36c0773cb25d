package dev.beatline.processor.traces;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class TraceHoldTest {

    private static final TopicPartition SPANS = new TopicPartition("spans", 3);
    private static final TopicPartition TRANSACTIONS = new TopicPartition("transactions", 3);
    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private final TraceHold hold = new TraceHold(Duration.ofSeconds(60), 1 << 20);

    private static TraceHold.Key key(String id) {
        return new TraceHold.Key(1, id);
    }

    private static TraceHold.Held<HeldSpan> span(String id, long offset, int size) {
        return new TraceHold.Held<>(new HeldSpan(id, "trace", Instant.EPOCH, new byte[size]), SPANS, offset, size);
    }

    private static TraceHold.Held<HeldTransaction> transaction(String id, long offset) {
        byte[] json = "{}".getBytes(StandardCharsets.UTF_8);
        return new TraceHold.Held<>(new HeldTransaction(null, id, "trace", 1, Instant.EPOCH, "svc", json),
                TRANSACTIONS, offset, json.length);
    }

    @Test
    void keepingATransactionHandsBackItsWaitingSpansAndReleasesTheirOffsets() {
        hold.holdSpan(key("t1"), span("s1", 10, 100), 0);
        hold.holdSpan(key("t2"), span("s2", 11, 100), 0);
        hold.holdSpan(key("t1"), span("s1", 10, 100), 0); // replayed: not held twice
        assertThat(hold.heldSpans()).isEqualTo(2);
        assertThat(hold.heldFrom(SPANS)).isEqualTo(10);

        List<TraceHold.Held<HeldSpan>> waiting = hold.keep(key("t1"), SECOND);
        assertThat(waiting).extracting(h -> h.item().spanId()).containsExactly("s1");
        assertThat(hold.isKept(key("t1"))).isTrue();
        assertThat(hold.heldFrom(SPANS)).isEqualTo(11);
        assertThat(hold.heldSpans()).isEqualTo(1);
    }

    @Test
    void spansWaitAtMostTheHoldTimeFromTheFirstSpanThenComeBackAsOrphans() {
        hold.holdSpan(key("t1"), span("s1", 10, 100), 0);
        hold.holdSpan(key("t1"), span("s2", 12, 100), 30 * SECOND);
        hold.holdSpan(key("t2"), span("s3", 13, 100), 30 * SECOND);
        assertThat(hold.release(60 * SECOND - 1)).isEmpty();

        List<TraceHold.Orphan> orphans = hold.release(60 * SECOND);
        assertThat(orphans).hasSize(1);
        assertThat(orphans.get(0).key()).isEqualTo(key("t1"));
        assertThat(orphans.get(0).spans()).hasSize(2);
        assertThat(orphans.get(0).overCap()).isFalse();
        assertThat(hold.heldFrom(SPANS)).isEqualTo(13);
        hold.dropped(2, false);
        assertThat(hold.droppedExpired()).as("counted with the commit").isZero();
        hold.committed();
        assertThat(hold.droppedExpired()).isEqualTo(2);
    }

    @Test
    void aNotKeptTransactionWaitsWithItsSpansForAnErrorUntilTheHoldTimeFromItsDecision() {
        hold.holdSpan(key("t1"), span("s1", 10, 100), 0);
        hold.holdNotKept(key("t1"), transaction("t1", 5), 50 * SECOND);
        hold.holdSpan(key("t1"), span("s2", 11, 100), 51 * SECOND); // a late span joins it
        assertThat(hold.heldFrom(TRANSACTIONS)).isEqualTo(5);
        assertThat(hold.release(100 * SECOND)).isEmpty();
        assertThat(hold.isHeldNotKept(key("t1"))).isTrue();

        TraceHold.Promoted promoted = hold.promote(key("t1"), 101 * SECOND);
        assertThat(promoted.transaction().item().id()).isEqualTo("t1");
        assertThat(promoted.spans()).extracting(h -> h.item().spanId()).containsExactly("s1", "s2");
        assertThat(hold.isKept(key("t1"))).isTrue();
        assertThat(hold.heldFrom(TRANSACTIONS)).isNull();
        assertThat(hold.heldFrom(SPANS)).isNull();
        assertThat(hold.promote(key("t1"), 102 * SECOND)).isNull();
    }

    @Test
    void notKeptTransactionsAndKeptMarksExpireWithoutOrphans() {
        hold.holdNotKept(key("t1"), transaction("t1", 5), 0);
        hold.keep(key("t2"), 0);
        assertThat(hold.release(60 * SECOND)).isEmpty();
        assertThat(hold.isHeldNotKept(key("t1"))).isFalse();
        assertThat(hold.isKept(key("t2"))).isFalse();
        assertThat(hold.heldBytes()).isZero();
    }

    @Test
    void overTheMemoryCapTheOldestAreReleasedFirst() {
        TraceHold small = new TraceHold(Duration.ofSeconds(60), 3 * (TraceHold.ENTRY_OVERHEAD + TraceHold.RECORD_OVERHEAD + 1000));
        for (int i = 0; i < 5; i++) {
            small.holdSpan(key("t" + i), span("s" + i, i, 1000), i);
        }
        List<TraceHold.Orphan> orphans = small.release(10);
        assertThat(orphans).extracting(o -> o.key().transactionId()).containsExactly("t0", "t1");
        assertThat(orphans).allMatch(TraceHold.Orphan::overCap);
        assertThat(small.heldFrom(SPANS)).isEqualTo(2);
    }

    @Test
    void overTheMemoryCapNotKeptTransactionsGoBeforeWaitingSpansAndKeptMarks() {
        int entry = TraceHold.ENTRY_OVERHEAD + TraceHold.RECORD_OVERHEAD + 1000;
        TraceHold small = new TraceHold(Duration.ofSeconds(60),
                3L * entry + TraceHold.RECORD_OVERHEAD + 2 + 2 * TraceHold.ENTRY_OVERHEAD); // 2 marks stay
        small.keep(key("kept"), 0);
        small.holdSpan(key("waiting"), span("s0", 0, 1000), 0);
        small.holdSpan(key("decided"), span("s1", 1, 1000), 1);
        small.holdNotKept(key("decided"), transaction("decided", 9), 2); // the span now waits with its transaction
        small.holdSpan(key("w2"), span("s2", 2, 1000), 3);
        small.holdSpan(key("w3"), span("s3", 3, 1000), 4);
        assertThat(small.release(10)).isEmpty();
        assertThat(small.isHeldNotKept(key("decided"))).isFalse();
        assertThat(small.isKept(key("kept"))).isTrue();
        assertThat(small.heldSpans()).isEqualTo(3);
        assertThat(small.heldFrom(SPANS)).isEqualTo(0);

        small.holdSpan(key("decided"), span("s4", 4, 1000), 11); // a late span of the released transaction
        small.committed();
        assertThat(small.droppedOverCap()).isEqualTo(1);
        assertThat(small.heldSpans()).isEqualTo(3);
    }

    @Test
    void rollingBackRestoresTheStateOfTheLastCommit() {
        hold.holdSpan(key("t1"), span("s1", 10, 100), 0);
        hold.holdNotKept(key("t2"), transaction("t2", 7), 0);
        hold.committed();
        long bytes = hold.heldBytes();

        hold.keep(key("t1"), SECOND);
        hold.promote(key("t2"), SECOND);
        hold.holdSpan(key("t3"), span("s3", 11, 100), SECOND);
        hold.dropped(5, true);
        hold.rolledBack();

        assertThat(hold.isKept(key("t1"))).isFalse();
        assertThat(hold.isHeldNotKept(key("t2"))).isTrue();
        assertThat(hold.heldSpans()).isEqualTo(1);
        assertThat(hold.heldBytes()).isEqualTo(bytes);
        assertThat(hold.heldFrom(SPANS)).isEqualTo(10);
        assertThat(hold.heldFrom(TRANSACTIONS)).isEqualTo(7);
        hold.committed();
        assertThat(hold.droppedOverCap()).isZero();
        assertThat(hold.keep(key("t1"), 2 * SECOND)).hasSize(1);
    }

    @Test
    void forgettingPartitionsDropsWhatCameFromThem() {
        hold.holdSpan(key("t1"), span("s1", 10, 100), 0);
        hold.holdNotKept(key("t2"), transaction("t2", 7), 0);
        hold.committed();
        hold.forget(List.of(SPANS));
        assertThat(hold.heldSpans()).isZero();
        assertThat(hold.heldFrom(SPANS)).isNull();
        assertThat(hold.isHeldNotKept(key("t2"))).isTrue();
    }
}
