package dev.beatline.model;

import java.util.List;
import java.util.Map;

/**
 * An error or a logged message, from any source, ready for grouping.
 *
 * @param level              {@code fatal|error|warning|info|debug}; {@code error} when the agent sent none
 * @param message            the logged message (Sentry {@code logentry.formatted}/{@code message}, Elastic {@code log.message})
 * @param paramMessage       the message template before parameters were substituted (Sentry
 *                           {@code logentry.message}, Elastic {@code log.param_message}); grouping prefers it
 * @param exceptions         chained exceptions, root cause first, thrown exception last; empty for a message
 * @param logStacktrace      a stack trace attached to a message without exception (Sentry top-level
 *                           {@code stacktrace}/thread, Elastic {@code log.stacktrace}), outermost call first
 * @param fingerprint        custom fingerprint as sent by the SDK (may contain {@code {{ default }}}); null when none
 * @param platform           the event's platform ({@code java}, {@code javascript}, {@code python}, …)
 * @param transactionName    the transaction the error happened in, by name (used for culprit and filters)
 * @param contexts           the remaining structured context (runtime, os, browser, device, custom, tags
 *                           that are not labels, extra); free-form, displayed as sent
 */
public record ErrorEvent(
        EventHeader header,
        TraceContext trace,
        String level,
        String message,
        String paramMessage,
        String loggerName,
        String culprit,
        List<ExceptionInfo> exceptions,
        List<StackFrame> logStacktrace,
        List<String> fingerprint,
        String platform,
        String transactionName,
        String transactionType,
        HttpRequest request,
        List<Breadcrumb> breadcrumbs,
        Map<String, Object> contexts) implements CanonicalEvent {

    public ErrorEvent {
        exceptions = exceptions == null ? List.of() : exceptions;
        logStacktrace = logStacktrace == null ? List.of() : logStacktrace;
        breadcrumbs = breadcrumbs == null ? List.of() : breadcrumbs;
        contexts = contexts == null ? Map.of() : contexts;
        level = level == null || level.isBlank() ? "error" : level;
    }

    @Override
    public EventKind kind() {
        return EventKind.ERROR;
    }

    /** The exception that was thrown (the last one of the chain), or null for a message. */
    public ExceptionInfo thrownException() {
        return exceptions.isEmpty() ? null : exceptions.get(exceptions.size() - 1);
    }
}
