package dev.beatline.model;

import java.util.List;
import java.util.Map;

/**
 * One stack frame. Frames of a stack trace are ordered as Sentry orders them: the outermost call first, the
 * frame that raised last. (Elastic agents send the opposite order; the Elastic adapter reverses it.)
 *
 * @param module   Java package+class ({@code com.example.Foo}), Python module, JS module
 * @param filename file name as sent (may be a path; grouping uses the basename)
 * @param inApp    whether the frame is the application's own code; null when the agent did not say
 * @param platform per-frame platform when it differs from the event's (Sentry {@code frame.platform})
 */
public record StackFrame(
        String function,
        String module,
        String filename,
        String absPath,
        Integer lineno,
        Integer colno,
        Boolean inApp,
        String contextLine,
        List<String> preContext,
        List<String> postContext,
        Map<String, Object> vars,
        String platform) {

    public static StackFrame of(String module, String function, String filename, Integer lineno, Boolean inApp) {
        return new StackFrame(function, module, filename, null, lineno, null, inApp, null, null, null, null, null);
    }
}
