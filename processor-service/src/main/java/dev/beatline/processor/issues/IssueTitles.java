package dev.beatline.processor.issues;

import dev.beatline.model.ErrorEvent;
import dev.beatline.model.ExceptionInfo;
import dev.beatline.model.StackFrame;
import java.util.List;

/** How an issue is titled and where it is said to come from, as Sentry shows them. Pure functions. */
public final class IssueTitles {

    static final int MAX_TITLE = 512;

    private IssueTitles() {
    }

    /** {@code Type: first line of value} for exceptions, else the message's first line. */
    public static String title(ErrorEvent e) {
        ExceptionInfo ex = e.thrownException();
        String title;
        if (ex != null) {
            String type = ex.type() != null ? ex.type() : "Error";
            String value = firstLine(ex.value());
            title = value == null || value.isEmpty() ? type : type + ": " + value;
        } else {
            String m = firstLine(e.message() != null ? e.message() : e.paramMessage());
            title = m == null || m.isEmpty() ? "<unlabeled event>" : m;
        }
        return title.length() > MAX_TITLE ? title.substring(0, MAX_TITLE - 1) + "…" : title;
    }

    /** The agent's culprit, else the innermost in-app frame ({@code module in function}), else the transaction. */
    public static String culprit(ErrorEvent e) {
        if (e.culprit() != null && !e.culprit().isBlank()) {
            return e.culprit();
        }
        ExceptionInfo ex = e.thrownException();
        List<StackFrame> frames = ex != null ? ex.frames() : e.logStacktrace();
        StackFrame best = null;
        StackFrame last = null;
        for (StackFrame f : frames) { // outermost first: the last in-app frame is the innermost
            last = f;
            if (Boolean.TRUE.equals(f.inApp())) {
                best = f;
            }
        }
        if (best == null) {
            best = last;
        }
        if (best == null) {
            return e.transactionName();
        }
        String where = best.module() != null ? best.module() : best.filename();
        return best.function() == null ? where : where + " in " + best.function();
    }

    /** The exception type, or null for messages. */
    public static String type(ErrorEvent e) {
        ExceptionInfo ex = e.thrownException();
        return ex == null ? null : ex.type();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return null;
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }
}
