package dev.beatline.query.issues;

/**
 * Filters of the issue list; null = no filter. {@code text} matches title or culprit, case-insensitively.
 * {@code environment} and {@code release} match issues with at least one occurrence there.
 */
public record IssueFilter(String status, String substatus, String service, String environment, String release,
        String level, String text) {

    /** {@code text} as a LIKE pattern that matches it anywhere, with LIKE's wildcards escaped. */
    static String containsPattern(String text) {
        return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
