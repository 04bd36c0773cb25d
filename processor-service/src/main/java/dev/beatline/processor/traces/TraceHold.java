package dev.beatline.processor.traces;

import dev.beatline.processor.kafka.HeldRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * The processor's in-memory waiting room for trace samples, per transaction (project + transaction id):
 * <ul>
 *   <li>spans whose transaction has not been decided yet (agents report a span before its transaction);</li>
 *   <li>sampled transactions that were not kept, with their spans, so an error consumed after them can still
 *       promote them;</li>
 *   <li>a mark for transactions kept recently, so their late spans are written at once.</li>
 * </ul>
 * Each entry lives at most the hold time (spans: from the first span; a not-kept transaction or a kept mark: from
 * its decision). Expired entries and, over the memory cap, the oldest ones are released: their waiting spans are
 * handed back as {@link Orphan}s (the caller checks whether their transaction was kept elsewhere and counts the
 * rest as dropped). Held records pin their Kafka offsets ({@link #heldFrom}), so after a crash the partitions are
 * re-read from there and the hold is rebuilt. Changes are journaled per batch: {@link #rolledBack()} restores the
 * state of the last {@link #committed()}. Pure: time is passed in (nanoseconds, monotonic); single-threaded.
 */
public final class TraceHold implements HeldRecords {

    /** A transaction: project and transaction id. */
    public record Key(long projectId, String transactionId) {
    }

    /** A held record: where it was read and its bytes as consumed (all the rest is derived from them). */
    public record Held<T>(T item, TopicPartition partition, long offset, int bytes) {
    }

    /** Spans released without their transaction being decided here: expired, over the memory cap, or forgotten. */
    public record Orphan(Key key, List<Held<HeldSpan>> spans, boolean overCap) {
    }

    /** Rough per-entry and per-record bookkeeping cost in bytes, added to the payload sizes. */
    static final int ENTRY_OVERHEAD = 160;
    static final int RECORD_OVERHEAD = 120;

    private static final class Entry {
        Held<HeldTransaction> notKept;
        final List<Held<HeldSpan>> spans;
        boolean kept;
        /** Not kept, and released early for memory: its late spans are dropped at once. */
        boolean released;
        long deadline;

        Entry(long deadline) {
            this.spans = new ArrayList<>(2);
            this.deadline = deadline;
        }

        Entry(Entry other) {
            this.notKept = other.notKept;
            this.spans = new ArrayList<>(other.spans);
            this.kept = other.kept;
            this.released = other.released;
            this.deadline = other.deadline;
        }
    }

    private final long holdNanos;
    private final long maxBytes;
    /** Insertion order is deadline order (an entry whose deadline moves is re-inserted), oldest first. */
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>();
    /** Held offsets per partition (offset → records), for {@link #heldFrom}. */
    private final Map<TopicPartition, TreeMap<Long, Integer>> offsets = new HashMap<>();
    private long bytes;
    private long spans;
    /** Entries as they were at the last commit (null value: absent then), first touch per batch only. */
    private final Map<Key, Entry> journal = new HashMap<>();
    private long droppedExpired;
    private long droppedOverCap;
    private long pendingDroppedExpired;
    private long pendingDroppedOverCap;

    public TraceHold(Duration holdTime, long maxBytes) {
        if (holdTime.isNegative() || holdTime.isZero() || maxBytes < 1) {
            throw new IllegalArgumentException("hold time and max held bytes must be positive");
        }
        this.holdNanos = holdTime.toNanos();
        this.maxBytes = maxBytes;
    }

    /** Whether this transaction was kept recently (its late spans are written at once). */
    public boolean isKept(Key key) {
        Entry e = entries.get(key);
        return e != null && e.kept;
    }

    /** Whether this transaction is held as sampled but not kept. */
    public boolean isHeldNotKept(Key key) {
        Entry e = entries.get(key);
        return e != null && e.notKept != null;
    }

    /**
     * Holds a span of a transaction not kept (yet): with its held transaction, or waiting for it. A span already
     * held (same id, e.g. replayed) is not held twice. Call {@link #isKept} first: spans of kept ones are written.
     */
    public void holdSpan(Key key, Held<HeldSpan> span, long now) {
        Entry e = touch(key);
        if (e != null && e.released) {
            pendingDroppedOverCap++;
            return;
        }
        if (e == null) {
            e = new Entry(now + holdNanos);
            entries.put(key, e);
            account(e);
        }
        for (Held<HeldSpan> s : e.spans) {
            if (s.item().spanId().equals(span.item().spanId())) {
                return;
            }
        }
        e.spans.add(span);
        account(span, 1);
        spans++;
    }


    /** Marks the transaction kept and hands back the spans that waited for it (to be written with it). */
    public List<Held<HeldSpan>> keep(Key key, long now) {
        Entry e = touch(key);
        List<Held<HeldSpan>> waiting = List.of();
        if (e != null) {
            entries.remove(key);
            unaccount(e);
            waiting = e.spans;
        }
        Entry kept = new Entry(now + holdNanos);
        kept.kept = true;
        entries.put(key, kept);
        account(kept);
        return waiting;
    }

    /**
     * Holds a sampled transaction that was not kept, with the spans that waited for it, for the hold time from now
     * (an error consumed meanwhile can promote it). A transaction already held or kept is left as it is.
     */
    public void holdNotKept(Key key, Held<HeldTransaction> transaction, long now) {
        Entry e = touch(key);
        if (e != null && (e.kept || e.released || e.notKept != null)) {
            return;
        }
        if (e == null) {
            e = new Entry(now + holdNanos);
        } else {
            entries.remove(key);
            unaccount(e);
            e.deadline = now + holdNanos;
        }
        e.notKept = transaction;
        entries.put(key, e); // at the end: the deadline order holds
        account(e);
    }

    /** The held not-kept transaction (with its spans) an error points to, now marked kept; null if none is held. */
    public Promoted promote(Key key, long now) {
        Entry e = entries.get(key);
        if (e == null || e.notKept == null) {
            return null;
        }
        Held<HeldTransaction> transaction = e.notKept;
        List<Held<HeldSpan>> waiting = keep(key, now);
        return new Promoted(transaction, waiting);
    }

    /** A promoted transaction with its spans. */
    public record Promoted(Held<HeldTransaction> transaction, List<Held<HeldSpan>> spans) {
    }

    /** Forgets that a transaction was kept (its sample was evicted): its later spans are not written. */
    public void forgetKept(Key key) {
        Entry e = entries.get(key);
        if (e != null && e.kept) {
            touch(key);
            entries.remove(key);
            unaccount(e);
        }
    }

    /**
     * Releases entries past their deadline, then, while over the memory cap: first the oldest not-kept
     * transactions with their spans (only a later error could still need them; a small mark stays so their late
     * spans are dropped at once instead of waiting), then the oldest spans still waiting for their transaction,
     * and last the small marks. Spans that waited in vain are returned.
     */
    public List<Orphan> release(long now) {
        List<Orphan> orphans = new ArrayList<>();
        Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Key, Entry> head = it.next();
            if (head.getValue().deadline - now > 0) {
                break;
            }
            release(it, head, false, orphans);
        }
        for (Map.Entry<Key, Entry> next : entries.entrySet()) {
            if (bytes <= maxBytes) {
                return orphans;
            }
            Entry e = next.getValue();
            if (e.notKept != null) {
                journalBefore(next.getKey(), e);
                unaccount(e);
                e.notKept = null;
                e.spans.clear();
                e.released = true;
                account(e);
            }
        }
        for (it = entries.entrySet().iterator(); bytes > maxBytes && it.hasNext(); ) {
            Map.Entry<Key, Entry> next = it.next();
            if (!next.getValue().kept && !next.getValue().released) {
                release(it, next, true, orphans);
            }
        }
        for (it = entries.entrySet().iterator(); bytes > maxBytes && it.hasNext(); ) {
            release(it, it.next(), true, orphans);
        }
        return orphans;
    }

    private void release(Iterator<Map.Entry<Key, Entry>> it, Map.Entry<Key, Entry> entry, boolean overCap,
            List<Orphan> orphans) {
        Entry e = entry.getValue();
        journalBefore(entry.getKey(), e);
        it.remove();
        unaccount(e);
        if (!e.kept && !e.released && e.notKept == null && !e.spans.isEmpty()) {
            orphans.add(new Orphan(entry.getKey(), e.spans, overCap));
        }
    }

    /** Counts spans dropped for good (released and not kept elsewhere); effective with the next commit. */
    public void dropped(int count, boolean overCap) {
        if (overCap) {
            pendingDroppedOverCap += count;
        } else {
            pendingDroppedExpired += count;
        }
    }

    @Override
    public Long heldFrom(TopicPartition partition) {
        TreeMap<Long, Integer> held = offsets.get(partition);
        return held == null || held.isEmpty() ? null : held.firstKey();
    }

    @Override
    public void committed() {
        journal.clear();
        droppedExpired += pendingDroppedExpired;
        droppedOverCap += pendingDroppedOverCap;
        pendingDroppedExpired = 0;
        pendingDroppedOverCap = 0;
    }

    @Override
    public void rolledBack() {
        for (Map.Entry<Key, Entry> j : journal.entrySet()) {
            Entry current = entries.remove(j.getKey());
            if (current != null) {
                unaccount(current);
            }
            if (j.getValue() != null) {
                entries.put(j.getKey(), j.getValue());
                account(j.getValue());
            }
        }
        journal.clear();
        pendingDroppedExpired = 0;
        pendingDroppedOverCap = 0;
    }

    /**
     * Drops every entry holding a record of these partitions (they are re-read from their replay position). Called
     * between batches, so not journaled.
     */
    @Override
    public void forget(Collection<TopicPartition> partitions) {
        Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Key, Entry> next = it.next();
            Entry e = next.getValue();
            boolean from = e.notKept != null && partitions.contains(e.notKept.partition());
            for (int i = 0; !from && i < e.spans.size(); i++) {
                from = partitions.contains(e.spans.get(i).partition());
            }
            if (from) {
                it.remove();
                unaccount(e);
            }
        }
    }

    /** Bytes held (payloads plus bookkeeping estimate). */
    public long heldBytes() {
        return bytes;
    }

    /** Spans held now (waiting, or with a held not-kept transaction). */
    public long heldSpans() {
        return spans;
    }

    /** Spans released because their transaction did not arrive within the hold time, and not kept elsewhere. */
    public long droppedExpired() {
        return droppedExpired;
    }

    /** Spans released early because the hold was over its memory cap, and not kept elsewhere. */
    public long droppedOverCap() {
        return droppedOverCap;
    }

    /** Entries (transactions) in the hold. */
    int size() {
        return entries.size();
    }

    private Entry touch(Key key) {
        Entry e = entries.get(key);
        journalBefore(key, e);
        return e;
    }

    private void journalBefore(Key key, Entry e) {
        if (!journal.containsKey(key)) {
            journal.put(key, e == null ? null : new Entry(e));
        }
    }

    private void account(Entry e) {
        bytes += ENTRY_OVERHEAD;
        if (e.notKept != null) {
            account(e.notKept, 1);
        }
        for (Held<HeldSpan> s : e.spans) {
            account(s, 1);
        }
        spans += e.spans.size();
    }

    private void unaccount(Entry e) {
        bytes -= ENTRY_OVERHEAD;
        if (e.notKept != null) {
            account(e.notKept, -1);
        }
        for (Held<HeldSpan> s : e.spans) {
            account(s, -1);
        }
        spans -= e.spans.size();
    }

    private void account(Held<?> h, int sign) {
        bytes += sign * (long) (h.bytes() + RECORD_OVERHEAD);
        TreeMap<Long, Integer> held = offsets.computeIfAbsent(h.partition(), p -> new TreeMap<>());
        held.merge(h.offset(), sign, (a, b) -> a + b == 0 ? null : a + b);
        if (held.isEmpty()) {
            offsets.remove(h.partition());
        }
    }
}
