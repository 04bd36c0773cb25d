package dev.beatline.model;

import java.util.List;
import java.util.Map;

/**
 * One exception of a (possibly chained) error. In {@link ErrorEvent#exceptions()} the list is ordered as
 * Sentry orders {@code exception.values}: the root cause first and the exception that was thrown last.
 *
 * @param type      exception class or type ({@code java.lang.IllegalStateException}, {@code TypeError})
 * @param value     the exception message
 * @param module    the module or package the type lives in, when sent separately
 * @param handled   whether the application handled it; null when unknown
 * @param mechanism Sentry mechanism ({@code type}, {@code exception_id}, {@code parent_id}, …), as sent
 * @param frames    stack frames, outermost call first
 */
public record ExceptionInfo(
        String type,
        String value,
        String module,
        Boolean handled,
        Map<String, Object> mechanism,
        List<StackFrame> frames) {

    public ExceptionInfo {
        frames = frames == null ? List.of() : frames;
    }
}
