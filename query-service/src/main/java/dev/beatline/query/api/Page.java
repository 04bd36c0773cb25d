package dev.beatline.query.api;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a cursor-paginated list: the items and, when more follow, the opaque cursor for the next page
 * (pass it as {@code cursor}, with the same filters and sort).
 */
public record Page<T>(List<T> items, String nextCursor) {

    /**
     * Builds a page from a query that fetched {@code limit + 1} rows: the extra row only tells that more follow.
     */
    public static <T> Page<T> of(List<T> rows, int limit, Function<T, Cursor> cursorOf) {
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<T> items = List.copyOf(rows.subList(0, limit));
        return new Page<>(items, cursorOf.apply(items.get(limit - 1)).encode());
    }
}
