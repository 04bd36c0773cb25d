package dev.beatline.query.api;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** A validated {@code [from, to)} range from query parameters (RFC 3339 instants); 400 when malformed. */
public record TimeRange(Instant from, Instant to) {

    public static final Duration MAX_SPAN = Duration.ofDays(400);

    public static TimeRange parse(String from, String to, Duration defaultSpan) {
        Instant t = to == null || to.isBlank() ? Instant.now() : instant("to", to);
        Instant f = from == null || from.isBlank() ? t.minus(defaultSpan) : instant("from", from);
        if (!f.isBefore(t)) {
            throw ApiProblem.badRequest("from", "must be before 'to'");
        }
        if (Duration.between(f, t).compareTo(MAX_SPAN) > 0) {
            throw ApiProblem.badRequest("from", "range longer than " + MAX_SPAN.toDays() + " days");
        }
        return new TimeRange(f, t);
    }

    private static Instant instant(String name, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiProblem.badRequest(name, "not an RFC 3339 instant such as 2026-11-22T10:00:00Z");
        }
    }
}
