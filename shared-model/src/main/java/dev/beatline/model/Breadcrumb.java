package dev.beatline.model;

import java.time.Instant;
import java.util.Map;

/** A trail entry recorded before an error (Sentry breadcrumbs). */
public record Breadcrumb(
        Instant timestamp,
        String type,
        String category,
        String level,
        String message,
        Map<String, Object> data) {
}
