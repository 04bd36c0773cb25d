package dev.beatline.grouping;

import dev.beatline.model.StackFrame;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds the {@code stacktrace} component of a stack trace for the app and the system variant: applies the
 * stack-trace rules, collapses recursion (a frame identical to the one before it, line included, is ignored),
 * and in the app variant lets only in-app frames contribute.
 */
final class StacktraceComponents {

    private final StackTraceRules rules;

    StacktraceComponents(StackTraceRules rules) {
        this.rules = rules;
    }

    /** One {@code stacktrace} component per variant for frames ordered outermost call first. */
    Map<Variant, GroupingComponent> build(List<StackFrame> frames, String eventPlatform) {
        List<FrameFlags> flags = rules.apply(frames, eventPlatform);
        List<GroupingComponent> plain = new ArrayList<>(frames.size());
        StackFrame previous = null;
        for (StackFrame f : frames) {
            String platform = f.platform() != null ? Platforms.normalize(f.platform()) : eventPlatform;
            plain.add(FrameComponents.frame(f, platform, isRecursion(f, previous)));
            previous = f;
        }
        boolean singleLowQualityJsFrame = frames.size() == 1 && isUrlOnlyJavaScriptFrame(frames.get(0), eventPlatform);
        Map<Variant, GroupingComponent> out = new EnumMap<>(Variant.class);
        for (Variant variant : Variant.values()) {
            List<GroupingComponent> built = new ArrayList<>(frames.size());
            boolean anyInApp = false;
            for (int i = 0; i < frames.size(); i++) {
                GroupingComponent c = plain.get(i);
                FrameFlags ff = flags.get(i);
                anyInApp |= ff.inApp();
                if (variant == Variant.APP && !ff.inApp()) {
                    c = c.ignored(ff.appHint() != null ? ff.appHint() : "non app frame");
                } else if (!ff.group()) {
                    c = c.ignored(ff.groupHint());
                } else if (c.contributes() && ff.appHint() != null) {
                    c = c.withHint(ff.appHint());
                }
                if (singleLowQualityJsFrame && c.contributes()) {
                    c = c.ignored("ignored single non-URL JavaScript frame");
                }
                built.add(c);
            }
            GroupingComponent stacktrace = GroupingComponent.node("stacktrace", built);
            if (!stacktrace.contributes()) {
                String what = frames.isEmpty() ? "frames"
                        : variant == Variant.APP && !anyInApp ? "in-app frames" : "contributing frames";
                stacktrace = stacktrace.ignored("ignored because it contains no " + what);
            }
            out.put(variant, stacktrace);
        }
        return out;
    }

    /** Sentry's recursion test: same path, module, filename, function, line and column as the frame before. */
    static boolean isRecursion(StackFrame frame, StackFrame previous) {
        return previous != null
                && Objects.equals(frame.absPath(), previous.absPath())
                && Objects.equals(frame.module(), previous.module())
                && Objects.equals(frame.filename(), previous.filename())
                && Objects.equals(frame.function(), previous.function())
                && Objects.equals(frame.lineno(), previous.lineno())
                && Objects.equals(frame.colno(), previous.colno());
    }

    private static boolean isUrlOnlyJavaScriptFrame(StackFrame f, String eventPlatform) {
        String platform = f.platform() != null ? Platforms.normalize(f.platform()) : eventPlatform;
        String path = f.absPath() != null ? f.absPath() : f.filename();
        return Platforms.isJavaScriptFamily(platform) && (f.function() == null || f.function().isEmpty())
                && path != null && (path.contains("://") || path.startsWith("blob:") || path.startsWith("data:"));
    }
}
