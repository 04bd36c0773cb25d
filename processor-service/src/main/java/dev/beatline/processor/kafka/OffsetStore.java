package dev.beatline.processor.kafka;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Kafka positions kept in PostgreSQL, next to the data they cover: per partition the next offset to apply and
 * the offset to re-read from after a restart ({@code replay_from}, at most the next offset: the lowest record
 * still held in memory, see {@link HeldRecords}). Advancing is conditional on the position the caller started
 * from, so a processor that lost its partition in a rebalance (a zombie) cannot apply a batch the new owner has
 * applied too: its transaction fails with {@link FencedException} and rolls back.
 */
public final class OffsetStore {

    /** Another consumer advanced this partition first: roll back and re-read the positions. */
    public static final class FencedException extends SQLException {
        public FencedException(TopicPartition tp) {
            super("partition " + tp + " was advanced by another processor");
        }
    }

    /** A stored position: the next offset to apply, and where to re-read from to rebuild held state. */
    public record Position(long next, long replayFrom) {
    }

    private final String group;

    public OffsetStore(String group) {
        this.group = group;
    }

    /** The stored positions of these partitions; partitions never applied are absent. */
    public Map<TopicPartition, Position> load(Connection c, Collection<TopicPartition> partitions) throws SQLException {
        Map<TopicPartition, Position> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT next_offset, coalesce(replay_from, next_offset) FROM consumer_offsets
                 WHERE consumer_group = ? AND topic = ? AND partition = ?""")) {
            for (TopicPartition tp : partitions) {
                ps.setString(1, group);
                ps.setString(2, tp.topic());
                ps.setInt(3, tp.partition());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        out.put(tp, new Position(rs.getLong(1), Math.min(rs.getLong(1), rs.getLong(2))));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Moves a partition from {@code expected} (null: never stored) to {@code next}, in the caller's transaction.
     *
     * @throws FencedException when the stored position is not {@code expected}
     */
    public void advance(Connection c, TopicPartition tp, Long expected, Position next) throws SQLException {
        int n;
        if (expected == null) {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO consumer_offsets (consumer_group, topic, partition, next_offset, replay_from)
                    VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")) {
                ps.setString(1, group);
                ps.setString(2, tp.topic());
                ps.setInt(3, tp.partition());
                ps.setLong(4, next.next());
                ps.setLong(5, next.replayFrom());
                n = ps.executeUpdate();
            }
        } else {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE consumer_offsets SET next_offset = ?, replay_from = ?, updated_at = now()
                     WHERE consumer_group = ? AND topic = ? AND partition = ? AND next_offset = ?""")) {
                ps.setLong(1, next.next());
                ps.setLong(2, next.replayFrom());
                ps.setString(3, group);
                ps.setString(4, tp.topic());
                ps.setInt(5, tp.partition());
                ps.setLong(6, expected);
                n = ps.executeUpdate();
            }
        }
        if (n != 1) {
            throw new FencedException(tp);
        }
    }
}
