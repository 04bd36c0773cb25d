package dev.beatline.intake.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Credentials parsed from an {@code Authorization} header, with apm-server's exact rules: split at the first
 * space, case-sensitive {@code Bearer} or {@code ApiKey} kind.
 */
public sealed interface Credentials {

    /** {@code Authorization: Bearer <secret>}. */
    record Bearer(String secret) implements Credentials {
        @Override
        public String toString() {
            return "Bearer[redacted]";
        }
    }

    /** {@code Authorization: ApiKey base64(<public key>:<secret>)}. */
    record ApiKey(String publicKey, String secret) implements Credentials {
        @Override
        public String toString() {
            return "ApiKey[" + publicKey + ", redacted]";
        }
    }

    String EXPECTED = "expected 'Authorization: Bearer secret_token' or 'Authorization: ApiKey base64(API key ID:API key)'";

    /**
     * Parses the header.
     *
     * @throws AuthenticationException with apm-server's message when the header is missing or malformed
     */
    static Credentials parse(String header) {
        if (header == null || header.indexOf(' ') < 0) {
            throw new AuthenticationException(
                    "authentication failed: missing or improperly formatted Authorization header: " + EXPECTED);
        }
        int sp = header.indexOf(' ');
        String kind = header.substring(0, sp);
        String value = header.substring(sp + 1).trim();
        switch (kind) {
            case "Bearer":
                return new Bearer(value);
            case "ApiKey":
                String decoded;
                try {
                    decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new AuthenticationException("authentication failed: improperly encoded ApiKey credentials: "
                            + "expected base64(ID:APIKey): " + e.getMessage());
                }
                int colon = decoded.indexOf(':');
                if (colon <= 0 || colon == decoded.length() - 1) {
                    throw new AuthenticationException(
                            "authentication failed: improperly formatted ApiKey credentials: expected base64(ID:APIKey)");
                }
                return new ApiKey(decoded.substring(0, colon), decoded.substring(colon + 1));
            default:
                throw new AuthenticationException(
                        "authentication failed: unknown Authentication header " + kind + ": " + EXPECTED);
        }
    }

    /** The secret part, to be hashed and looked up. */
    String secret();
}
