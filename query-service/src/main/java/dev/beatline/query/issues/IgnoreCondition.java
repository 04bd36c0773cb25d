package dev.beatline.query.issues;

import dev.beatline.query.api.ApiProblem;
import dev.beatline.query.issues.IssueDtos.IgnoreBody;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How long an ignore lasts (Sentry's archive options), validated from the ignore body. Pure. {@code forever}
 * stores no condition; the others are stored in {@code issue_snoozes} (V610, whose header says exactly what the
 * processor counts) and reopen the issue as unresolved / escalating when met.
 *
 * @param condition null for forever, else {@code for_minutes}, {@code until_count}, {@code until_users},
 *                  {@code until_escalating} (the values of {@code issue_snoozes.condition})
 */
public record IgnoreCondition(String condition, Long minutes, Long count, Long countWindowMinutes, Long users,
        Long userWindowMinutes) {

    public static final IgnoreCondition FOREVER = new IgnoreCondition(null, null, null, null, null, null);
    public static final String FOR_MINUTES = "for_minutes";
    public static final String UNTIL_COUNT = "until_count";
    public static final String UNTIL_USERS = "until_users";
    public static final String UNTIL_ESCALATING = "until_escalating";
    /** Ignored substatuses (Sentry's GroupSubStatus FOREVER, UNTIL_ESCALATING, UNTIL_CONDITION_MET). */
    public static final String ARCHIVED_FOREVER = "archived_forever";
    public static final String ARCHIVED_UNTIL_ESCALATING = "archived_until_escalating";
    public static final String ARCHIVED_UNTIL_CONDITION_MET = "archived_until_condition_met";

    static final long MAX_MINUTES = Duration.ofDays(365).toMinutes();
    /** Windows are counted from per-minute rows: at most a week of them. */
    static final long MAX_WINDOW_MINUTES = Duration.ofDays(7).toMinutes();
    static final long MAX_COUNT = 1_000_000_000L;
    /** The days before the ignore whose events per hour {@code untilEscalating} compares with. */
    static final Duration ESCALATION_BASELINE = Duration.ofDays(7);
    static final String EXPECTED = "{\"forever\": true} (default), {\"untilEscalating\": true}, {\"forMinutes\": N}, "
            + "{\"untilCount\": N, \"countWindowMinutes\": M} or {\"untilUsers\": N, \"userWindowMinutes\": M}";

    /** The condition of an ignore body; {@code null} body (no body) is forever. */
    public static IgnoreCondition of(IgnoreBody body) {
        if (body == null) {
            return FOREVER;
        }
        List<String> given = new ArrayList<>();
        if (body.forever() != null) {
            given.add("forever");
        }
        if (body.untilEscalating() != null) {
            given.add("untilEscalating");
        }
        if (body.forMinutes() != null) {
            given.add("forMinutes");
        }
        if (body.untilCount() != null) {
            given.add("untilCount");
        }
        if (body.untilUsers() != null) {
            given.add("untilUsers");
        }
        if (given.size() > 1) {
            throw ApiProblem.badRequest("body", "give only one of forever, untilEscalating, forMinutes, untilCount, "
                    + "untilUsers (given: " + String.join(", ", given) + ")");
        }
        if (body.countWindowMinutes() != null && body.untilCount() == null) {
            throw ApiProblem.badRequest("countWindowMinutes", "only with untilCount");
        }
        if (body.userWindowMinutes() != null && body.untilUsers() == null) {
            throw ApiProblem.badRequest("userWindowMinutes", "only with untilUsers");
        }
        if (given.isEmpty()) {
            return FOREVER;
        }
        return switch (given.get(0)) {
            case "forever" -> {
                requireTrue("forever", body.forever());
                yield FOREVER;
            }
            case "untilEscalating" -> {
                requireTrue("untilEscalating", body.untilEscalating());
                yield new IgnoreCondition(UNTIL_ESCALATING, null, null, null, null, null);
            }
            case "forMinutes" -> new IgnoreCondition(FOR_MINUTES, range("forMinutes", body.forMinutes(), MAX_MINUTES),
                    null, null, null, null);
            case "untilCount" -> new IgnoreCondition(UNTIL_COUNT, null, range("untilCount", body.untilCount(), MAX_COUNT),
                    window("countWindowMinutes", body.countWindowMinutes()), null, null);
            default -> new IgnoreCondition(UNTIL_USERS, null, null, null, range("untilUsers", body.untilUsers(), MAX_COUNT),
                    window("userWindowMinutes", body.userWindowMinutes()));
        };
    }

    private static void requireTrue(String field, Boolean value) {
        if (!value) {
            throw ApiProblem.badRequest(field, "must be true when given (omit it for another condition)");
        }
    }

    private static Long range(String field, Long value, long max) {
        if (value < 1 || value > max) {
            throw ApiProblem.badRequest(field, "must be 1-" + max);
        }
        return value;
    }

    private static Long window(String field, Long value) {
        return value == null ? null : range(field, value, MAX_WINDOW_MINUTES);
    }

    public boolean isForever() {
        return condition == null;
    }

    /** The issue's substatus while ignored with this condition. */
    public String substatus() {
        if (isForever()) {
            return ARCHIVED_FOREVER;
        }
        return UNTIL_ESCALATING.equals(condition) ? ARCHIVED_UNTIL_ESCALATING : ARCHIVED_UNTIL_CONDITION_MET;
    }

    /** The condition as the {@code set_ignored} activity records it (snake_case, as the other activity data). */
    public Map<String, Object> activityData() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("condition", isForever() ? "forever" : condition);
        putIfPresent(data, "minutes", minutes);
        putIfPresent(data, "count", count);
        putIfPresent(data, "count_window_minutes", countWindowMinutes);
        putIfPresent(data, "user_count", users);
        putIfPresent(data, "user_window_minutes", userWindowMinutes);
        return data;
    }

    private static void putIfPresent(Map<String, Object> data, String key, Object value) {
        if (value != null) {
            data.put(key, value);
        }
    }

    public static boolean isArchived(String substatus) {
        return ARCHIVED_FOREVER.equals(substatus) || ARCHIVED_UNTIL_ESCALATING.equals(substatus)
                || ARCHIVED_UNTIL_CONDITION_MET.equals(substatus);
    }

    /**
     * The issue's events per hour before an ignore at {@code at}, the baseline of {@code untilEscalating}:
     * {@code events} counted in the {@link #ESCALATION_BASELINE} before it, divided by the hours from the first
     * minute that had events ({@code firstMinute}, null if none) to the ignore, at least 1 and at most 168. So an
     * issue a day old is compared with its rate over that day, not with a week mostly spent not existing.
     */
    public static double hourlyAverage(long events, Instant firstMinute, Instant at) {
        if (events == 0 || firstMinute == null) {
            return 0;
        }
        double hours = Duration.between(firstMinute, at).toMillis() / 3_600_000.0;
        return events / Math.min(ESCALATION_BASELINE.toHours(), Math.max(1, hours));
    }
}
