package dev.beatline.intake.rum;

import dev.beatline.intake.limits.RateLimit;
import java.util.Set;

/**
 * A project's anonymous RUM settings (table {@code project_rum_access}).
 *
 * @param allowedOrigins browser origins that may send ({@code *} = any)
 * @param allowedAgents  agent names accepted from anonymous clients
 * @param ipLimit        per client IP; null = the configured default
 */
public record RumAccess(long projectId, String projectSlug, String publicKey, Set<String> allowedOrigins,
        Set<String> allowedAgents, RateLimit ipLimit) {

    /** True when a request with this {@code Origin} header may send (no header: not a browser's CORS request). */
    public boolean allowsOrigin(String origin) {
        return origin == null || allowedOrigins.contains("*") || allowedOrigins.contains(origin);
    }
}
