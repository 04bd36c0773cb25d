package dev.beatline.intake.sentry;

import dev.beatline.model.keys.Dsn;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds the public key of a Sentry request, with Relay's rules ({@code request_meta.rs}): exactly one of
 * {@code X-Sentry-Auth: Sentry …}, {@code Authorization: Sentry …}, {@code Authorization: Basic
 * base64(key:…)} or a query string with {@code sentry_key}; more than one → 401 {@code multiple authorization
 * payloads detected}. The envelope header {@code dsn} may stand in for all of them, and must name the same key
 * when both are present. Pure.
 */
public final class SentryAuth {

    static final String MISSING = "missing authorization information";
    static final String MULTIPLE = "multiple authorization payloads detected";
    static final String BAD_HEADER = "bad x-sentry-auth header";
    static final String BAD_ENVELOPE_AUTH = "bad envelope authentication header";

    private SentryAuth() {
    }

    /**
     * The public key from the request's headers and query, or null when none carries one.
     *
     * @throws SentryAuthException 401 when more than one carries credentials or one is malformed
     */
    public static String fromRequest(String xSentryAuth, String authorization, Map<String, List<String>> query) {
        List<String> keys = new ArrayList<>(1);
        if (xSentryAuth != null && startsWithIgnoreCase(xSentryAuth, "sentry ")) {
            keys.add(keyOfSentryHeader(xSentryAuth.substring(7)));
        }
        if (authorization != null) {
            if (startsWithIgnoreCase(authorization, "sentry ")) {
                keys.add(keyOfSentryHeader(authorization.substring(7)));
            } else if (startsWithIgnoreCase(authorization, "basic ")) {
                keys.add(keyOfBasic(authorization.substring(6).trim()));
            }
        }
        List<String> queryKey = query.get("sentry_key");
        if (queryKey != null && !queryKey.isEmpty()) {
            if (queryKey.get(0) == null || queryKey.get(0).isBlank()) {
                throw new SentryAuthException(401, BAD_HEADER);
            }
            keys.add(queryKey.get(0).trim());
        }
        if (keys.size() > 1) {
            throw new SentryAuthException(401, MULTIPLE);
        }
        return keys.isEmpty() ? null : keys.get(0);
    }

    /**
     * The key to authenticate with, given the request's key (may be null) and the envelope's {@code dsn}
     * header (may be null).
     *
     * @param urlProject the project id of the URL; a DSN naming another project is refused (403)
     * @throws SentryAuthException 401 when there is none, when the DSN is malformed or names another key
     */
    public static String resolve(String requestKey, String envelopeDsn, long urlProject) {
        if (envelopeDsn == null) {
            if (requestKey == null) {
                throw new SentryAuthException(401, MISSING);
            }
            return requestKey;
        }
        Dsn dsn;
        try {
            dsn = Dsn.parse(envelopeDsn);
        } catch (IllegalArgumentException e) {
            throw new SentryAuthException(401, BAD_ENVELOPE_AUTH);
        }
        if (requestKey != null && !requestKey.equals(dsn.publicKey())) {
            throw new SentryAuthException(401, BAD_ENVELOPE_AUTH);
        }
        if (dsn.projectId() != urlProject) {
            throw new SentryAuthException(403, SentryIntakeResource.WRONG_PROJECT);
        }
        return dsn.publicKey();
    }

    /** {@code sentry_version=7, sentry_client=…, sentry_key=…[, sentry_secret=…]}, commas with or without spaces. */
    private static String keyOfSentryHeader(String params) {
        String key = null;
        for (String part : params.split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String name = part.substring(0, eq).trim();
            if (name.equals("sentry_key")) {
                key = part.substring(eq + 1).trim();
            }
        }
        if (key == null || key.isEmpty()) {
            throw new SentryAuthException(401, BAD_HEADER);
        }
        return key;
    }

    private static String keyOfBasic(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new SentryAuthException(401, BAD_HEADER);
        }
        int colon = decoded.indexOf(':');
        String key = (colon < 0 ? decoded : decoded.substring(0, colon)).trim();
        if (key.isEmpty()) {
            throw new SentryAuthException(401, BAD_HEADER);
        }
        return key;
    }

    private static boolean startsWithIgnoreCase(String s, String prefix) {
        return s.length() >= prefix.length() && s.substring(0, prefix.length()).toLowerCase(Locale.ROOT).equals(prefix);
    }
}
