package dev.beatline.query.issues;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** The orders the issue list offers, each descending with the id as tie-breaker (keyset pagination). */
public enum IssueSort {
    LAST_SEEN("last_seen", "last_seen", true),
    FIRST_SEEN("first_seen", "first_seen", true),
    TIMES_SEEN("times_seen", "times_seen", false),
    USERS("users", "users_affected", false);

    /** Values of the {@code sort} parameter. */
    public static final Set<String> PARAMS = Arrays.stream(values()).map(s -> s.param).collect(Collectors.toSet());

    final String param;
    /** The issues column sorted on; a constant, never client input. */
    final String column;
    /** Whether the column is a timestamp (cursor holds epoch microseconds) rather than a count. */
    final boolean timestamp;

    IssueSort(String param, String column, boolean timestamp) {
        this.param = param;
        this.column = column;
        this.timestamp = timestamp;
    }

    static IssueSort ofParam(String param) {
        for (IssueSort s : values()) {
            if (s.param.equals(param)) {
                return s;
            }
        }
        throw new IllegalArgumentException(param);
    }
}
