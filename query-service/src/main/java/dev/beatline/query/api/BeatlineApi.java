package dev.beatline.query.api;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * The OpenAPI description of the query API (served at {@code /q/openapi}, browsable at {@code /q/swagger-ui}).
 * Every call authenticates with {@code Authorization: Bearer <key secret>}.
 */
@OpenAPIDefinition(
        info = @Info(title = "Beatline query API", version = "v1", description = """
                Read API (issues, services, transactions) and admin (projects, keys, rate limits) of Beatline.
                Reads need a key with the `read` scope of the project, or an admin key; admin calls need an admin key.
                Errors are `application/problem+json` (RFC 9457). Lists are cursor-paginated: pass `nextCursor`
                back as `cursor` with the same filters. Time ranges: `from`/`to` as RFC 3339 instants, `interval`
                as `1m`, `5m`, `1h`, `1d`."""),
        security = @SecurityRequirement(name = "bearer"))
@SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "the secret of a project key (read scope) or of an admin key")
public class BeatlineApi extends Application {
}
