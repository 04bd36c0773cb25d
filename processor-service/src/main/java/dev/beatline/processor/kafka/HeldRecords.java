package dev.beatline.processor.kafka;

import java.util.Collection;
import org.apache.kafka.common.TopicPartition;

/**
 * State built from consumed records and kept in memory beyond their batch (e.g. spans waiting for their
 * transaction). The {@link BatchConsumerLoop} stores, next to each partition's applied position, the lowest
 * offset still held ({@code consumer_offsets.replay_from}); after a restart or a new assignment it re-reads the
 * partition from there and hands the records below the applied position to {@link EventBatchHandler#replay}, so
 * the state is rebuilt without applying anything twice. Changes made during a batch take effect with its
 * PostgreSQL transaction: {@link #committed()} or {@link #rolledBack()} is called after each attempt.
 * All methods are called on the consumer thread.
 */
public interface HeldRecords {

    /** The lowest offset of {@code partition} still held, or null when none is. */
    Long heldFrom(TopicPartition partition);

    /** The batch's PostgreSQL transaction committed: its changes stay. */
    void committed();

    /** The batch's PostgreSQL transaction rolled back: undo every change made since the last commit. */
    void rolledBack();

    /** These partitions now belong to another consumer (or their position must be re-read): forget what came from them. */
    void forget(Collection<TopicPartition> partitions);
}
