package dev.beatline.processor.issues;

import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A release name read as Sentry's release parser reads it: {@code package@version}, where the version has one to
 * four numeric components, an optional pre-release ({@code -beta.1}, or a letter right after the numbers as in
 * {@code 1.0rc1}) and an optional build code ({@code +20240101}). Names without a package, and versions that are
 * build hashes (12, 16, 20, 32, 40 or 64 hex digits), are not versions. Semver releases are ordered by version:
 * major, minor, patch, revision, then a release above its pre-releases, then pre-release and build code
 * (numerically when both are numbers), as Sentry orders semver releases.
 */
public record ReleaseVersion(String packageName, long major, long minor, long patch, long revision, String pre,
        String build) implements Comparable<ReleaseVersion> {

    private static final String IDENT = "(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)";
    private static final Pattern VERSION = Pattern.compile("([0-9]+)(?:\\.([0-9]+))?(?:\\.([0-9]+))?(?:\\.([0-9]+))?"
            + "((?:-|[a-z])" + IDENT + "?(?:\\." + IDENT + ")*)?(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?");
    private static final Pattern BUILD_HASH = Pattern.compile("[a-fA-F0-9]{12}|[a-fA-F0-9]{16}|[a-fA-F0-9]{20}"
            + "|[a-fA-F0-9]{32}|[a-fA-F0-9]{40}|[a-fA-F0-9]{64}");
    private static final int MAX_NUMBER_DIGITS = 18;

    private static final Comparator<ReleaseVersion> ORDER = Comparator.comparingLong(ReleaseVersion::major)
            .thenComparingLong(ReleaseVersion::minor).thenComparingLong(ReleaseVersion::patch)
            .thenComparingLong(ReleaseVersion::revision)
            .thenComparing(v -> v.pre().isEmpty()) // false < true: a pre-release comes before its release
            .thenComparing(ReleaseVersion::pre)
            .thenComparing(ReleaseVersion::build, ReleaseVersion::compareBuild);

    /** The version of a release name, or empty when the name is not {@code package@version}. */
    public static Optional<ReleaseVersion> parse(String release) {
        if (release == null) {
            return Optional.empty();
        }
        String name = release.trim();
        int at = name.indexOf('@', 1); // npm scopes begin with '@': @scope/app@1.2.3
        if (at < 0 || name.indexOf('@', at + 1) >= 0 || at == name.length() - 1) {
            return Optional.empty();
        }
        String version = name.substring(at + 1);
        Matcher m = VERSION.matcher(version);
        if (BUILD_HASH.matcher(version).matches() || !m.matches()) {
            return Optional.empty();
        }
        for (int g = 1; g <= 4; g++) {
            if (m.group(g) != null && m.group(g).length() > MAX_NUMBER_DIGITS) {
                return Optional.empty();
            }
        }
        String pre = m.group(5) == null ? "" : m.group(5).startsWith("-") ? m.group(5).substring(1) : m.group(5);
        return Optional.of(new ReleaseVersion(name.substring(0, at), number(m.group(1)), number(m.group(2)),
                number(m.group(3)), number(m.group(4)), pre, Objects.requireNonNullElse(m.group(6), "")));
    }

    /** Whether both are versions of one package, so that their versions order them. */
    public boolean comparableWith(ReleaseVersion other) {
        return packageName.equals(other.packageName);
    }

    @Override
    public int compareTo(ReleaseVersion other) {
        return ORDER.compare(this, other);
    }

    private static long number(String digits) {
        return digits == null ? 0 : Long.parseLong(digits);
    }

    private static int compareBuild(String a, String b) {
        boolean numeric = !a.isEmpty() && !b.isEmpty() && a.length() <= MAX_NUMBER_DIGITS && b.length() <= MAX_NUMBER_DIGITS
                && a.chars().allMatch(Character::isDigit) && b.chars().allMatch(Character::isDigit);
        return numeric ? Long.compare(Long.parseLong(a), Long.parseLong(b)) : a.compareTo(b);
    }
}
