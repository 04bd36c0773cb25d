package dev.beatline.intake.sentry;

/** The body is not a well-formed envelope: 400 {@code invalid event envelope} with this cause. */
public class EnvelopeFormatException extends RuntimeException {
    public EnvelopeFormatException(String message) {
        super(message, null, false, false);
    }
}
