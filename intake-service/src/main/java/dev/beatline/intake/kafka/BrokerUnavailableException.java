package dev.beatline.intake.kafka;

/** Kafka could not take or acknowledge the data in time: the intake answers 503 with Retry-After. */
public class BrokerUnavailableException extends RuntimeException {
    public BrokerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
