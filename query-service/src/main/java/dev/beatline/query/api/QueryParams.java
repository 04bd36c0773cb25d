package dev.beatline.query.api;

import java.util.Locale;
import java.util.Set;

/**
 * Parses query parameters that JAX-RS would otherwise convert itself (and answer 404 for, as the spec
 * demands for a query parameter that does not convert): every failure is a 400 naming the parameter.
 */
public final class QueryParams {

    private QueryParams() {
    }

    /** An integer in {@code [min, max]}; {@code fallback} when absent. */
    public static int intParam(String name, String value, int fallback, int min, int max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest(name, "must be an integer between " + min + " and " + max);
        }
        if (n < min || n > max) {
            throw ApiProblem.badRequest(name, "must be between " + min + " and " + max);
        }
        return n;
    }

    /** A non-negative id; 404 (not 400) when malformed, since the id names a resource in the path. */
    public static long pathId(String what, String value) {
        try {
            long id = Long.parseLong(value);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiProblem.notFound("no " + what + " '" + value + "'");
    }

    /** One of {@code allowed} (case-insensitive, returned lower-case); {@code fallback} when absent. */
    public static String oneOf(String name, String value, Set<String> allowed, String fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw ApiProblem.badRequest(name, "must be one of " + allowed.stream().sorted().toList());
        }
        return v;
    }

    /** A trimmed, non-blank value or null. */
    public static String optional(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
