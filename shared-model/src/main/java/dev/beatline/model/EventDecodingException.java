package dev.beatline.model;

/** A Kafka record value that is not a canonical event this build can read; such records go to the DLQ. */
public class EventDecodingException extends RuntimeException {
    public EventDecodingException(String message) {
        super(message);
    }

    public EventDecodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
