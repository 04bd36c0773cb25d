package dev.beatline.grouping;

import dev.beatline.model.StackFrame;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An ordered list of stack-trace rules ("enhancements" in Sentry): the built-in in-app rules of
 * {@code newstyle:2023-01-11} ({@code java.*}, {@code org.springframework.*}, {@code node_modules},
 * {@code site-packages} … are not the application's code) optionally followed by a project's own rules. Later
 * rules override earlier ones. The client's in-app flag is the starting point; a frame whose in-app is still
 * unknown after all rules is not in-app.
 */
public final class StackTraceRules {

    private static final String BUILT_IN_RESOURCE = "built-in-stacktrace-rules.txt";
    private static final StackTraceRules BUILT_IN = parse(readBuiltIn());

    private final List<StackTraceRule> rules;

    private StackTraceRules(List<StackTraceRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The built-in rules every project starts with. */
    public static StackTraceRules builtIn() {
        return BUILT_IN;
    }

    /** No rules at all. */
    public static StackTraceRules none() {
        return new StackTraceRules(List.of());
    }

    /**
     * Parses rules in Sentry's syntax, one per line ({@code #} starts a comment). Matchers: {@code function},
     * {@code module}, {@code path} (also spelled {@code stack.function}, {@code stack.module},
     * {@code stack.abs_path}), {@code family}, {@code app}, each negatable with {@code !}; actions {@code +app},
     * {@code -app}, {@code +group}, {@code -group}, optionally prefixed {@code ^} (frames called by the match) or
     * {@code v} (frames that called it).
     *
     * @throws IllegalArgumentException on a line it cannot read
     */
    public static StackTraceRules parse(String text) {
        List<StackTraceRule> parsed = new ArrayList<>();
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            int hash = lines[i].indexOf('#');
            String line = (hash >= 0 ? lines[i].substring(0, hash) : lines[i]).strip();
            if (!line.isEmpty()) {
                try {
                    parsed.add(StackTraceRule.parse(line));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("stack trace rules, line " + (i + 1) + ": " + e.getMessage(), e);
                }
            }
        }
        return new StackTraceRules(parsed);
    }

    /** These rules followed by {@code more} (which win where both apply). */
    public StackTraceRules then(StackTraceRules more) {
        List<StackTraceRule> all = new ArrayList<>(rules);
        all.addAll(more.rules);
        return new StackTraceRules(all);
    }

    /** Applies the rules to a stack trace (outermost call first); one result per frame, in the same order. */
    public List<FrameFlags> apply(List<StackFrame> frames, String eventPlatform) {
        int n = frames.size();
        Boolean[] app = new Boolean[n];
        String[] appHint = new String[n];
        boolean[] group = new boolean[n];
        String[] groupHint = new String[n];
        String[] platform = new String[n];
        for (int i = 0; i < n; i++) {
            StackFrame f = frames.get(i);
            app[i] = f.inApp();
            group[i] = true;
            platform[i] = f.platform() != null ? Platforms.normalize(f.platform()) : eventPlatform;
        }
        for (StackTraceRule rule : rules) {
            for (int i = 0; i < n; i++) {
                if (!rule.matches(frames.get(i), platform[i], Boolean.TRUE.equals(app[i]))) {
                    continue;
                }
                for (StackTraceRule.Action action : rule.actions()) {
                    int from = action.range() == StackTraceRule.Range.CALLEES ? i + 1
                            : action.range() == StackTraceRule.Range.CALLERS ? 0 : i;
                    int to = action.range() == StackTraceRule.Range.CALLERS ? i
                            : action.range() == StackTraceRule.Range.CALLEES ? n : i + 1;
                    for (int k = from; k < to; k++) {
                        if (action.flag().equals("app")) {
                            app[k] = action.value();
                            appHint[k] = (action.value() ? "marked in-app" : "marked out of app")
                                    + " by stack trace rule (" + rule.text() + ")";
                        } else {
                            group[k] = action.value();
                            groupHint[k] = (action.value() ? "un-ignored" : "ignored")
                                    + " by stack trace rule (" + rule.text() + ")";
                        }
                    }
                }
            }
        }
        List<FrameFlags> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new FrameFlags(Boolean.TRUE.equals(app[i]), group[i], appHint[i], groupHint[i]));
        }
        return out;
    }

    private static String readBuiltIn() {
        try (InputStream in = StackTraceRules.class.getResourceAsStream(BUILT_IN_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + BUILT_IN_RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
