package dev.beatline.processor.kafka;

import dev.beatline.model.CanonicalEvent;
import org.apache.kafka.common.TopicPartition;

/**
 * A decoded event with where it was read (partition, offset) and the record's value as consumed, so a handler
 * can store the bytes without encoding the event again and tell the loop which records it still holds.
 */
public record ConsumedEvent(CanonicalEvent event, TopicPartition partition, long offset, byte[] value) {
}
