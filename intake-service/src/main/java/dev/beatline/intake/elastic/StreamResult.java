package dev.beatline.intake.elastic;

import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of decoding one intake stream: how many events were handed on, and the first few errors with
 * the line that caused each (apm-server keeps 5).
 */
public final class StreamResult {

    public static final int MAX_ERRORS_LISTED = 5;

    /** One error; {@code document} is the offending line (or its first bytes), null when not event-related. */
    public record StreamError(String message, String document) {
    }

    private final List<StreamError> errors = new ArrayList<>();
    private int errorCount;
    private int decoded;
    private boolean terminal;

    public void addError(String message, String document) {
        errorCount++;
        if (errors.size() < MAX_ERRORS_LISTED) {
            errors.add(new StreamError(message, document));
        }
    }

    /** An error after which the rest of the stream is not read (bad metadata, bad compression). */
    public void addTerminalError(String message, String document) {
        addError(message, document);
        terminal = true;
    }

    public void countDecoded(int events) {
        decoded += events;
    }

    public int decoded() {
        return decoded;
    }

    public List<StreamError> errors() {
        return errors;
    }

    public int errorCount() {
        return errorCount;
    }

    public boolean hasErrors() {
        return errorCount > 0;
    }

    public boolean terminal() {
        return terminal;
    }
}
