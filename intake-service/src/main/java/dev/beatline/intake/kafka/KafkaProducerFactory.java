package dev.beatline.intake.kafka;

import dev.beatline.intake.IntakeConfig;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The one durable Kafka producer of the intake: acks=all, idempotence, lz4, bounded blocking so a missing
 * broker turns into a prompt 503 rather than a hung request.
 */
@ApplicationScoped
public class KafkaProducerFactory {

    private final String bootstrapServers;
    private final Duration maxBlock;
    private Producer<String, byte[]> producer;

    public KafkaProducerFactory(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            IntakeConfig config) {
        this.bootstrapServers = bootstrapServers;
        this.maxBlock = config.kafkaMaxBlock();
    }

    @Produces
    @Singleton
    synchronized Producer<String, byte[]> producer() {
        if (producer == null) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
            p.put(ProducerConfig.LINGER_MS_CONFIG, 2);
            p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) maxBlock.toMillis());
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
            p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
            p.put(ProducerConfig.CLIENT_ID_CONFIG, "beatline-intake");
            producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    void onStop(@Observes ShutdownEvent ev) {
        synchronized (this) {
            if (producer != null) {
                producer.close(Duration.ofSeconds(10));
            }
        }
    }
}
