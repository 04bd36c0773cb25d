package dev.beatline.grouping;

import dev.beatline.model.StackFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Builds the grouping component of one stack frame: {@code module}, {@code filename} (basename, lowercased),
 * {@code function} and, on the script platforms, {@code context-line} — never line or column numbers — after
 * the per-platform normalization. Whether the frame is in-app or excluded by a rule is decided later, per
 * variant, by {@link StacktraceComponents}.
 */
final class FrameComponents {

    private static final Pattern PATH_SEPARATORS = Pattern.compile("[/\\\\]");
    private static final int MAX_CONTEXT_LINE = 120;
    private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

    private FrameComponents() {
    }

    static GroupingComponent frame(StackFrame frame, String platform, boolean recursion) {
        String absPath = frame.absPath() != null ? frame.absPath() : frame.filename();
        String filename = frame.filename() != null ? frame.filename() : frame.absPath();
        boolean javaScript = Platforms.isJavaScriptFamily(platform);

        GroupingComponent filenameC = filename(absPath, filename, platform);
        GroupingComponent moduleC = module(absPath, frame.module(), platform);
        if (moduleC.contributes() && filenameC.contributes()) {
            filenameC = filenameC.ignored("module takes precedence");
        }
        GroupingComponent contextLineC = Platforms.CONTEXT_LINE_PLATFORMS.contains(platform)
                ? contextLine(frame.contextLine(), frame.function(), absPath, javaScript)
                : null;
        GroupingComponent functionC = function(frame.function(), platform, contextLineC != null
                && contextLineC.contributes());

        boolean lowQuality = false;
        if (javaScript) {
            String name = frame.function() == null ? "" : JavaScriptFrames.afterLastDot(frame.function());
            if (name.isEmpty()) {
                functionC = new GroupingComponent(functionC.id(), functionC.values(), List.of(), false, null);
            } else if (JavaScriptFrames.isUnknownFunction(name)) {
                functionC = functionC.ignored("ignored unknown function name");
            }
            lowQuality = JavaScriptFrames.isLowQualityFrame(frame.function(), absPath);
        }

        List<GroupingComponent> parts = new ArrayList<>(4);
        parts.add(moduleC);
        parts.add(filenameC);
        parts.add(functionC);
        if (contextLineC != null) {
            parts.add(contextLineC);
        }
        GroupingComponent out = GroupingComponent.node("frame", parts);
        if (lowQuality) {
            out = out.ignored("ignored low quality javascript frame");
        }
        if (recursion) {
            out = out.ignored("ignored due to recursion");
        }
        return out;
    }

    private static GroupingComponent filename(String absPath, String filename, String platform) {
        if (filename == null) {
            return GroupingComponent.leaf("filename", null);
        }
        String[] parts = PATH_SEPARATORS.split(filename, -1);
        String base = parts[parts.length - 1].toLowerCase(Locale.ROOT);
        GroupingComponent c = GroupingComponent.leaf("filename", base);
        if (hasUrlOrigin(absPath, true)) {
            return c.ignored("ignored because frame points to a URL");
        }
        if (base.equals("<anonymous>")) {
            return c.ignored("anonymous filename discarded");
        }
        if (base.equals("[native code]")) {
            return c.ignored("native code indicated by filename");
        }
        return "java".equals(platform) ? JavaFrames.filename(c) : c;
    }

    private static GroupingComponent module(String absPath, String module, String platform) {
        if (module == null) {
            return GroupingComponent.leaf("module", null);
        }
        GroupingComponent c = GroupingComponent.leaf("module", module);
        if ("javascript".equals(platform) && module.contains("/") && absPath != null && absPath.endsWith(module)) {
            return c.ignored("ignored bad javascript module");
        }
        return "java".equals(platform) ? JavaFrames.module(c) : c;
    }

    private static GroupingComponent function(String function, String platform, boolean contextLineUsed) {
        if (function == null || function.isEmpty()) {
            return GroupingComponent.leaf("function", null);
        }
        GroupingComponent c = GroupingComponent.leaf("function", function);
        if (platform == null) {
            return c;
        }
        return switch (platform) {
            case "ruby" -> RubyAndPhpFrames.rubyFunction(c);
            case "php" -> RubyAndPhpFrames.phpFunction(c);
            case "java" -> JavaFrames.function(c);
            default -> {
                if (Platforms.family(platform).equals("native")) {
                    yield function.equals("<redacted>") || function.equals("<unknown>")
                            ? c.ignored("ignored unknown function") : c;
                }
                yield Platforms.isJavaScriptFamily(platform)
                        ? JavaScriptFrames.function(c, false, contextLineUsed) : c;
            }
        };
    }

    private static GroupingComponent contextLine(String raw, String function, String absPath, boolean javaScript) {
        if (raw == null) {
            return GroupingComponent.leaf("context-line", null);
        }
        String line = String.join(" ", WHITESPACE.split(raw.strip()));
        if (line.isEmpty()) {
            return GroupingComponent.leaf("context-line", null);
        }
        GroupingComponent c = GroupingComponent.leaf("context-line", line);
        if (raw.length() > MAX_CONTEXT_LINE) {
            return c.ignored("discarded because line too long");
        }
        if (javaScript && function == null && hasUrlOrigin(absPath, false)) {
            return c.ignored("discarded because from URL origin and no function");
        }
        return c;
    }

    /** Sentry's {@code has_url_origin}: http(s), applewebdata and blob URLs; file URLs only when not allowed. */
    static boolean hasUrlOrigin(String path, boolean allowFileOrigin) {
        if (path == null || path.isEmpty()) {
            return false;
        }
        if (path.startsWith("http:") || path.startsWith("https:") || path.startsWith("applewebdata:")
                || path.startsWith("blob:")) {
            return true;
        }
        return path.startsWith("file:") && !allowFileOrigin;
    }
}
