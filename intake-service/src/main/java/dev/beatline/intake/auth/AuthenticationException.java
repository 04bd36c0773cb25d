package dev.beatline.intake.auth;

/** Credentials missing, malformed or unknown: 401 with this message. */
public class AuthenticationException extends RuntimeException {
    public AuthenticationException(String message) {
        super(message, null, false, false);
    }
}
