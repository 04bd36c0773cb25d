package dev.beatline.intake.auth;

/** A key that is not cached could not be checked because PostgreSQL is unreachable: 503, retry later. */
public class KeyStoreUnavailableException extends RuntimeException {
    public KeyStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
