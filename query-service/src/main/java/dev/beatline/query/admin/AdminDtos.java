package dev.beatline.query.admin;

import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and response bodies of the admin API. */
public final class AdminDtos {

    private AdminDtos() {
    }

    @Schema(description = "A project")
    public record ProjectView(long id, String slug, String name,
            @Schema(description = "ingest rate limit in events per second; null = the intake's default") Integer rateLimitEventsPerSecond,
            @Schema(description = "burst allowance in events; null = the intake's default") Integer rateLimitBurst,
            Instant createdAt) {
    }

    @Schema(description = "A project to create")
    public record NewProject(
            @Schema(description = "2-50 of a-z, 0-9, '-'; not all digits", example = "shop-backend") String slug,
            @Schema(description = "display name; defaults to the slug") String name) {
    }

    @Schema(description = "A new display name")
    public record ProjectRename(String name) {
    }

    @Schema(description = "Per-project ingest rate limit; both null resets to the intake's default")
    public record RateLimit(Integer eventsPerSecond, Integer burst) {
    }

    @Schema(description = "A project's own grouping rules in Sentry's syntax, one rule per line; empty = none")
    public record GroupingRules(
            @Schema(description = "fingerprint rules, e.g. error.type:DatabaseUnavailable -> system-down",
                    example = "error.type:DatabaseUnavailable -> system-down") String fingerprintRules,
            @Schema(description = "stack-trace rules, after the built-in ones, e.g. stack.module:com.acme.* +app",
                    example = "stack.module:com.acme.* +app") String stackTraceRules,
            @Schema(description = "increases with every change; the processor applies a change within seconds")
            Long version) {
    }

    @Schema(description = "A key to create")
    public record NewKey(String name,
            @Schema(description = "any of ingest, read, admin (admin keys administer and read every project)",
                    example = "[\"ingest\"]") List<String> scopes) {
    }

    @Schema(description = "A key, without its secret")
    public record KeyView(long id, String publicKey, String name, List<String> scopes, Instant createdAt,
            Instant revokedAt) {
    }

    @Schema(description = "A key just created: the secret is shown here once and never again")
    public record CreatedKey(long id, String publicKey,
            @Schema(description = "the secret: Elastic agents' secret_token, the API's Bearer token") String secret,
            @Schema(description = "Sentry DSN for the key's project") String dsn,
            String name, List<String> scopes, Instant createdAt) {
    }
}
