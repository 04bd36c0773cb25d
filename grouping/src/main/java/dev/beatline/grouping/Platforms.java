package dev.beatline.grouping;

import java.util.Locale;
import java.util.Set;

/**
 * Platform names as Sentry's grouping knows them, and their behaviour families. Elastic agents report their
 * language name ({@code Java}, {@code nodejs}, {@code C#} …); these map onto Sentry's names so one algorithm
 * serves every source.
 */
public final class Platforms {

    /** Platforms whose source lines are reliable enough to group by ({@code contextline_platforms}). */
    static final Set<String> CONTEXT_LINE_PLATFORMS = Set.of("javascript", "node", "python", "php", "ruby");

    private static final Set<String> NATIVE = Set.of("native", "c", "cocoa", "objc", "swift");
    private static final Set<String> JAVASCRIPT = Set.of("javascript", "node");

    private Platforms() {
    }

    /** Sentry's platform name for a name sent by any agent; null stays null. */
    public static String normalize(String platform) {
        if (platform == null) {
            return null;
        }
        String p = platform.trim().toLowerCase(Locale.ROOT);
        return switch (p) {
            case "nodejs", "node.js" -> "node";
            case "js", "rum-js", "js-base", "typescript" -> "javascript";
            case "kotlin", "scala", "groovy", "clojure", "jvm" -> "java";
            case "c#", ".net", "dotnet" -> "csharp";
            case "c++", "cpp", "rust" -> "native";
            case "golang" -> "go";
            default -> p;
        };
    }

    /** {@code javascript}, {@code native} or {@code other}, as Sentry's {@code get_behavior_family_for_platform}. */
    static String family(String platform) {
        if (platform == null) {
            return "other";
        }
        if (JAVASCRIPT.contains(platform)) {
            return "javascript";
        }
        return NATIVE.contains(platform) ? "native" : "other";
    }

    static boolean isJavaScriptFamily(String platform) {
        return "javascript".equals(family(platform));
    }
}
