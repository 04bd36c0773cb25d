package dev.beatline.processor.grouping;

import dev.beatline.model.ErrorEvent;
import dev.beatline.model.ExceptionInfo;
import dev.beatline.model.StackFrame;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Computes an error's fingerprint. This first version hashes, in order of preference: a custom fingerprint;
 * the exception types with their in-app frames (module or file basename, and function, never line numbers);
 * all frames when none is in-app; else the message template. Pure function.
 */
public final class Fingerprinter {

    public static final String CONFIG = "beatline:basic-2026-11";

    public GroupingResult fingerprint(ErrorEvent event) {
        List<String> components = new ArrayList<>();
        if (event.fingerprint() != null && !event.fingerprint().isEmpty()
                && !event.fingerprint().contains("{{ default }}") && !event.fingerprint().contains("{{default}}")) {
            event.fingerprint().forEach(f -> components.add("fingerprint:" + f));
            return result(components);
        }
        for (ExceptionInfo ex : event.exceptions()) {
            if (ex.type() != null) {
                components.add("type:" + ex.type());
            }
            addFrames(ex.frames(), components);
        }
        if (event.exceptions().isEmpty()) {
            addFrames(event.logStacktrace(), components);
        }
        boolean hasFrames = components.stream().anyMatch(c -> c.startsWith("frame:"));
        if (!hasFrames) {
            String message = event.paramMessage() != null ? event.paramMessage() : event.message();
            if (message == null && event.thrownException() != null) {
                message = event.thrownException().value();
            }
            if (message != null) {
                components.add("message:" + message);
            }
        }
        return result(components);
    }

    private static void addFrames(List<StackFrame> frames, List<String> components) {
        boolean anyInApp = frames.stream().anyMatch(f -> Boolean.TRUE.equals(f.inApp()));
        for (StackFrame f : frames) {
            if (anyInApp && !Boolean.TRUE.equals(f.inApp())) {
                continue;
            }
            String where = f.module() != null ? f.module() : basename(f.filename());
            components.add("frame:" + (where == null ? "" : where) + ":" + (f.function() == null ? "" : f.function()));
        }
    }

    private static String basename(String path) {
        if (path == null) {
            return null;
        }
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return slash < 0 ? path : path.substring(slash + 1);
    }

    private static GroupingResult result(List<String> components) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            for (String c : components) {
                md5.update(c.getBytes(StandardCharsets.UTF_8));
                md5.update((byte) 0);
            }
            return new GroupingResult(CONFIG, HexFormat.of().formatHex(md5.digest()), List.copyOf(components));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
