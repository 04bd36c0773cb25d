package dev.beatline.grouping;

import java.util.Set;

/**
 * JavaScript/Node frame normalization: {@code Object.foo} and {@code Foo.foo} become {@code foo} (browsers
 * differ), anonymous and unknown function names are ignored, eval and native-code frames are ignored.
 */
final class JavaScriptFrames {

    private static final Set<String> UNKNOWN_FUNCTIONS = Set.of("?", "<anonymous function>", "<anonymous>",
            "Anonymous function");
    private static final Set<String> LOW_QUALITY_PATHS = Set.of("[native code]", "native code", "eval code",
            "<anonymous>");

    private JavaScriptFrames() {
    }

    /** Keeps what follows the last dot; ignored when a source map was used and a context line contributes. */
    static GroupingComponent function(GroupingComponent function, boolean sourcemapUsed, boolean contextLineUsed) {
        String value = function.values().get(0);
        GroupingComponent out = function;
        String trimmed = afterLastDot(value);
        if (!trimmed.equals(value)) {
            out = out.withValue(trimmed, "trimmed javascript function");
        }
        if (sourcemapUsed && contextLineUsed) {
            out = out.ignored("ignored because sourcemap used and context line available");
        }
        return out;
    }

    /** Whether a function name (already cut after its last dot) says nothing: anonymous or unknown. */
    static boolean isUnknownFunction(String name) {
        return UNKNOWN_FUNCTIONS.contains(name) || name.endsWith("/<");
    }

    /** Eval frames and frames in native code are ignored entirely. */
    static boolean isLowQualityFrame(String rawFunction, String absPath) {
        String f = rawFunction == null ? null : afterLastDot(rawFunction);
        return "eval".equals(f) || absPath != null && LOW_QUALITY_PATHS.contains(absPath);
    }

    static String afterLastDot(String s) {
        return s.substring(s.lastIndexOf('.') + 1);
    }
}
