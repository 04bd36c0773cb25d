package dev.beatline.intake.sentry;

/** A request the Sentry endpoints refuse before reading data: {@code status} with Sentry's error body. */
public class SentryAuthException extends RuntimeException {

    private final int status;

    public SentryAuthException(int status, String detail) {
        super(detail, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
