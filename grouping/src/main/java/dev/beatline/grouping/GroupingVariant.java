package dev.beatline.grouping;

/**
 * One way of grouping an event ({@code app}, {@code system}, {@code default}, {@code custom-fingerprint},
 * {@code fallback}) with its hash — null when nothing in it contributes — and the component tree that shows why.
 */
public record GroupingVariant(String name, String hash, GroupingComponent component) {
}
