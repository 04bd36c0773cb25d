package dev.beatline.grouping;

import java.util.List;
import java.util.Objects;

/**
 * Everything the grouping algorithm computed for one event: every variant in Sentry's lookup order (the
 * {@code system} variant last) and the primary hash, the first non-null one, which decides the issue.
 *
 * @param rule the project's fingerprint rule that decided the fingerprint, or null
 */
public record Grouping(String config, List<GroupingVariant> variants, FingerprintRules.Match rule) {

    public Grouping {
        variants = List.copyOf(variants);
    }

    /** The issue title the matching fingerprint rule set ({@code title="…"}), or null. */
    public String title() {
        return rule == null ? null : rule.title();
    }

    /** The variant whose hash names the issue. */
    public GroupingVariant primary() {
        return variants.stream().filter(v -> v.hash() != null).findFirst()
                .orElseThrow(() -> new IllegalStateException("no variant with a hash"));
    }

    /** All non-null hashes, primary first: an event joins the issue of any of them. */
    public List<String> hashes() {
        return variants.stream().map(GroupingVariant::hash).filter(Objects::nonNull).distinct().toList();
    }

    /** The hash of a variant by name, or null when it has none or does not exist. */
    public String hash(String variant) {
        return variants.stream().filter(v -> v.name().equals(variant)).map(GroupingVariant::hash)
                .filter(Objects::nonNull).findFirst().orElse(null);
    }
}
