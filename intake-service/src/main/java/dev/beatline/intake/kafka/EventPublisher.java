package dev.beatline.intake.kafka;

import dev.beatline.model.CanonicalEvent;
import dev.beatline.model.EventCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;

/**
 * Publishes one request's events and tells whether the broker acknowledged all of them. Not thread-safe: one
 * per request. Sends are asynchronous; {@link #awaitAcks} blocks until every send is acknowledged (acks=all)
 * or the deadline passes.
 */
public final class EventPublisher {

    private final Producer<String, byte[]> producer;
    private final List<Future<RecordMetadata>> pending = new ArrayList<>();
    private KafkaException sendFailure;

    public EventPublisher(Producer<String, byte[]> producer) {
        this.producer = producer;
    }

    /** Queues an event for sending. A failure to even queue it is remembered and reported by {@link #awaitAcks}. */
    public void publish(CanonicalEvent event) {
        if (sendFailure != null) {
            return;
        }
        try {
            pending.add(producer.send(new ProducerRecord<>(event.topic(), event.header().recordKey(),
                    EventCodec.encode(event))));
        } catch (KafkaException e) {
            sendFailure = e;
        }
    }

    public int pendingCount() {
        return pending.size();
    }

    /**
     * Waits until every published event is acknowledged.
     *
     * @param timeoutMillis total time allowed
     * @throws BrokerUnavailableException when a send failed or was not acknowledged in time
     */
    public int awaitAcks(long timeoutMillis) {
        if (sendFailure != null) {
            throw new BrokerUnavailableException("cannot queue events for Kafka: " + sendFailure.getMessage(), sendFailure);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (Future<RecordMetadata> f : pending) {
            long left = deadline - System.nanoTime();
            try {
                f.get(Math.max(left, 0), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                throw new BrokerUnavailableException("Kafka did not acknowledge the events in time", e);
            } catch (ExecutionException e) {
                throw new BrokerUnavailableException("Kafka refused the events: " + e.getCause().getMessage(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BrokerUnavailableException("interrupted while waiting for Kafka", e);
            }
        }
        int acked = pending.size();
        pending.clear();
        return acked;
    }
}
