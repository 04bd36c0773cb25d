package dev.beatline.intake.internal;

/** An event that parsed as JSON but breaks the protocol's rules; the message is sent back to the agent. */
public class ValidationException extends RuntimeException {
    public ValidationException(String message) {
        super(message, null, false, false);
    }
}
