package dev.beatline.grouping;

import dev.beatline.model.ErrorEvent;
import dev.beatline.model.ExceptionInfo;
import dev.beatline.model.StackFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fingerprint sent by the SDK: its kind ({@code ["{{ default }}"]} = normal grouping, entries without
 * {@code {{ default }}} = custom, a mix = hybrid) and its entries with variables resolved as Sentry does
 * ({@code {{ type }}}, {@code {{ message }}}, {@code {{ transaction }}}, {@code {{ function }}},
 * {@code {{ module }}}, {@code {{ level }}}, {@code {{ logger }}}, {@code {{ tags.NAME }}} …). Unknown variables
 * stay as written (the {@code newstyle:2023-01-11} behaviour).
 */
final class CustomFingerprint {

    enum Kind { DEFAULT, CUSTOM, HYBRID }

    private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*(\\S+)\\s*\\}\\}");

    private CustomFingerprint() {
    }

    static Kind kind(List<String> fingerprint) {
        if (fingerprint == null || fingerprint.isEmpty()
                || fingerprint.size() == 1 && isDefault(fingerprint.get(0))) {
            return Kind.DEFAULT;
        }
        return fingerprint.stream().anyMatch(CustomFingerprint::isDefault) ? Kind.HYBRID : Kind.CUSTOM;
    }

    static boolean isDefault(String entry) {
        return "default".equals(variable(entry));
    }

    /** The entries with every variable except {@code {{ default }}} replaced by the event's value. */
    static List<String> resolve(List<String> fingerprint, ErrorEvent event) {
        List<String> out = new ArrayList<>(fingerprint.size());
        for (String entry : fingerprint) {
            String name = variable(entry);
            String resolved = name == null || name.equals("default") ? null : resolveVariable(name, event);
            out.add(resolved == null ? entry : resolved);
        }
        return out;
    }

    private static String variable(String entry) {
        if (entry == null) {
            return null;
        }
        Matcher m = VARIABLE.matcher(entry);
        return m.lookingAt() && m.end() == entry.length() ? m.group(1) : null;
    }

    private static String resolveVariable(String name, ErrorEvent e) {
        ExceptionInfo last = e.thrownException();
        StackFrame crash = crashFrame(e);
        return switch (name) {
            case "transaction" -> or(e.transactionName(), "<no-transaction>");
            case "message" -> or(or(e.message(), e.paramMessage()), or(last == null ? null : last.value(), "<no-message>"));
            case "type", "error.type" -> or(last == null ? null : last.type(), "<no-type>");
            case "value", "error.value" -> or(last == null ? null : last.value(), "<no-value>");
            case "function", "stack.function" -> or(crash == null ? null : crash.function(), "<no-function>");
            case "path", "stack.abs_path" -> or(crash == null ? null : or(crash.absPath(), crash.filename()),
                    "<no-abs-path>");
            case "stack.filename" -> or(crash == null ? null : or(crash.filename(), crash.absPath()), "<no-filename>");
            case "module", "stack.module" -> or(crash == null ? null : crash.module(), "<no-module>");
            case "package", "stack.package" -> "<no-package>";
            case "level" -> or(e.level(), "<no-level>");
            case "logger" -> or(e.loggerName(), "<no-logger>");
            default -> name.startsWith("tags.") ? tag(e, name.substring(5)) : null;
        };
    }

    private static String tag(ErrorEvent e, String key) {
        Object v = e.header() == null ? null : e.header().labels().get(key);
        return v != null ? v.toString() : "<no-value-for-tag-" + key + ">";
    }

    /** The frame that raised: the last frame of the thrown exception, else of the message's stack trace. */
    private static StackFrame crashFrame(ErrorEvent e) {
        ExceptionInfo last = e.thrownException();
        List<StackFrame> frames = last != null && !last.frames().isEmpty() ? last.frames() : e.logStacktrace();
        return frames.isEmpty() ? null : frames.get(frames.size() - 1);
    }

    private static String or(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }
}
