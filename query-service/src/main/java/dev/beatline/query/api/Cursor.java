package dev.beatline.query.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * An opaque keyset-pagination cursor: the sort key and the id of the last row of a page, base64url-encoded.
 * Clients pass it back unchanged as {@code cursor}; a cursor that does not decode is a 400.
 *
 * @param sortKey the last row's sort value in its text form (an epoch-microsecond instant or a number)
 * @param id      the last row's id (the tie-breaker)
 */
public record Cursor(String sortKey, String id) {

    private static final char SEPARATOR = '\n';

    public String encode() {
        String raw = sortKey + SEPARATOR + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor of a query parameter; null when absent; 400 when it was not made by {@link #encode()}. */
    public static Cursor decode(String param) {
        if (param == null || param.isBlank()) {
            return null;
        }
        String raw;
        try {
            raw = new String(Base64.getUrlDecoder().decode(param.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("cursor", "not a cursor returned by this API");
        }
        int sep = raw.indexOf(SEPARATOR);
        if (sep <= 0 || sep == raw.length() - 1) {
            throw ApiProblem.badRequest("cursor", "not a cursor returned by this API");
        }
        return new Cursor(raw.substring(0, sep), raw.substring(sep + 1));
    }

    /** The sort key as a number; 400 when the cursor was made for another sort. */
    public long sortKeyAsLong() {
        return parseLong(sortKey);
    }

    /** The id as a number; 400 when the cursor was made for another list. */
    public long idAsLong() {
        return parseLong(id);
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest("cursor", "does not belong to this list or sort");
        }
    }
}
