package dev.beatline.model.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** How key secrets are stored in {@code project_keys.secret_hash}: hex SHA-256 (secrets are 32 random bytes, so a slow hash adds nothing). */
public final class SecretHashing {
    private SecretHashing() {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new secret: 32 random bytes, hex-encoded (64 chars). */
    public static String newSecret() {
        return randomHex(32);
    }

    /** A new public key id (Sentry DSN key, ApiKey id): 16 random bytes, hex-encoded (32 chars). */
    public static String newPublicKey() {
        return randomHex(16);
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    public static String sha256Hex(String secret) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
