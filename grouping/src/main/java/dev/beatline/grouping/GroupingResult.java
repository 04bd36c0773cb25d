package dev.beatline.grouping;

import java.util.List;

/**
 * The fingerprint of an error and why: {@code components} lists, in order, what contributed to the hash, so a
 * person can see why two errors grouped together.
 *
 * @param config      the grouping algorithm and version that produced the hash
 * @param fingerprint the hash (32 hex chars)
 * @param title       the issue title a fingerprint rule set, or null for the usual title
 */
public record GroupingResult(String config, String fingerprint, List<String> components, String title) {
}
