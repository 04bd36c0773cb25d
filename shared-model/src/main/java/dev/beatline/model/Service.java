package dev.beatline.model;

/**
 * The service that emitted an event, with its release. {@code version} is the release (Sentry {@code release},
 * Elastic {@code service.version}); {@code environment} is Sentry {@code environment} / Elastic
 * {@code service.environment}.
 */
public record Service(
        String name,
        String version,
        String environment,
        String nodeName,
        String language,
        String languageVersion,
        String runtime,
        String runtimeVersion,
        String framework,
        String frameworkVersion) {

    public static Service named(String name) {
        return new Service(name, null, null, null, null, null, null, null, null, null);
    }
}
