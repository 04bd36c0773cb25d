package dev.beatline.processor.kafka;

import dev.beatline.model.Topics;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Sends a record that cannot be applied to {@link Topics#DLQ} with where it came from and why, in headers
 * {@code beatline.dlq.reason}, {@code .topic}, {@code .partition}, {@code .offset}, and {@value #ID_HEADER}
 * ({@code <topic>-<partition>-<offset>}, the record's stable identity), and {@value #GROUP_HEADER} (the consumer
 * group that dead-lettered it: each group applies, and may dead-letter, every record). The record keeps its
 * original key.
 * Waits for the ack, so a batch only commits (and moves past the record) once the record is safe in the DLQ.
 *
 * <p>Delivery to the DLQ is at-least-once: the record is sent before the batch transaction that moves past it
 * commits, and PostgreSQL and Kafka cannot commit together. {@link BatchConsumerLoop} does not send a record
 * again while it retries the same batch, but after a crash or a rebalance between the send and the commit the
 * next owner of the partition sends it again. DLQ consumers dedupe by {@value #ID_HEADER} (per {@value #GROUP_HEADER}).
 */
public final class DeadLetters {

    /** Header naming the dead-lettered record: {@code <topic>-<partition>-<offset>}; the same on every resend. */
    public static final String ID_HEADER = "beatline.dlq.id";

    /** Header naming the consumer group that dead-lettered the record. */
    public static final String GROUP_HEADER = "beatline.dlq.group";

    private final Producer<byte[], byte[]> producer;
    private final String consumerGroup;

    public DeadLetters(Producer<byte[], byte[]> producer, String consumerGroup) {
        this.producer = producer;
        this.consumerGroup = consumerGroup;
    }

    public void send(ConsumerRecord<byte[], byte[]> rec, String reason) throws DeadLetterException {
        ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(Topics.DLQ, rec.key(), rec.value());
        out.headers().add("beatline.dlq.reason", utf8(reason));
        out.headers().add("beatline.dlq.topic", utf8(rec.topic()));
        out.headers().add("beatline.dlq.partition", utf8(Integer.toString(rec.partition())));
        out.headers().add("beatline.dlq.offset", utf8(Long.toString(rec.offset())));
        out.headers().add(ID_HEADER, utf8(id(rec)));
        out.headers().add(GROUP_HEADER, utf8(consumerGroup));
        try {
            producer.send(out).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            throw new DeadLetterException("cannot write to " + Topics.DLQ + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeadLetterException("interrupted while writing to " + Topics.DLQ, e);
        }
    }

    /** The stable identity of a consumed record, as sent in {@value #ID_HEADER}. */
    public static String id(ConsumerRecord<?, ?> rec) {
        return rec.topic() + "-" + rec.partition() + "-" + rec.offset();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The DLQ could not take the record: the batch is retried later, the record is not skipped. */
    public static final class DeadLetterException extends Exception {
        public DeadLetterException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
