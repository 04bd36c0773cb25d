package dev.beatline.grouping;

import dev.beatline.model.StackFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One stack-trace rule in Sentry's syntax ({@code module:org.apache.* -app}, {@code path:**&#47;node_modules/** -app},
 * {@code function:nextTick -app -group}): frame matchers, all of which must hold, and actions that set in-app
 * or exclude frames from grouping, for the matching frame or (with {@code ^}/{@code v}) the frames it called /
 * the frames that called it.
 */
record StackTraceRule(List<Matcher> matchers, List<Action> actions, String text) {

    /** Which frame an action changes, relative to the matching one (frames ordered outermost call first). */
    enum Range { SELF, CALLEES, CALLERS }

    /** Sets {@code app} or {@code group} to {@code value} for the frames of {@code range}. */
    record Action(Range range, String flag, boolean value) {
    }

    /**
     * {@code [!]key:value} against one frame attribute: a {@link Glob} for function, module and path (case-insensitive),
     * a list of families, or yes/no for app.
     */
    record Matcher(String key, boolean negated, Glob glob, List<String> families, boolean app) {

        boolean matches(StackFrame frame, String platform, boolean inApp) {
            boolean hit = switch (key) {
                case "function" -> frame.function() != null && glob.matches(frame.function());
                case "module" -> frame.module() != null && glob.matches(frame.module());
                case "path" -> pathMatches(frame.absPath()) || pathMatches(frame.filename());
                case "family" -> families.contains("all") || families.contains(Platforms.family(platform));
                case "app" -> app == inApp;
                default -> false;
            };
            return hit != negated;
        }

        private boolean pathMatches(String path) {
            if (path == null) {
                return false;
            }
            String p = path.replace('\\', '/');
            return glob.matches(p) || (!p.startsWith("/") && glob.matches("/" + p));
        }
    }

    /** Parses one rule line (without comment); throws {@link IllegalArgumentException} on bad syntax. */
    static StackTraceRule parse(String line) {
        List<Matcher> matchers = new ArrayList<>();
        List<Action> actions = new ArrayList<>();
        List<String> shown = new ArrayList<>();
        for (String token : tokens(line)) {
            char first = token.charAt(0);
            if (first == '+' || first == '-' || first == '^' || first == 'v' && token.length() > 1
                    && (token.charAt(1) == '+' || token.charAt(1) == '-')) {
                actions.add(action(token, line));
                shown.add(token);
            } else {
                Matcher m = matcher(token, line);
                matchers.add(m);
                shown.add((m.negated ? "!" : "") + m.key + ":" + unquote(token.substring(token.indexOf(':') + 1)));
            }
        }
        if (matchers.isEmpty() || actions.isEmpty()) {
            throw new IllegalArgumentException("stack trace rule needs matchers and actions: " + line);
        }
        return new StackTraceRule(matchers, actions, String.join(" ", shown));
    }

    boolean matches(StackFrame frame, String platform, boolean inApp) {
        for (Matcher m : matchers) {
            if (!m.matches(frame, platform, inApp)) {
                return false;
            }
        }
        return true;
    }

    private static Action action(String token, String line) {
        Range range = Range.SELF;
        String t = token;
        if (t.startsWith("^")) {
            range = Range.CALLEES;
            t = t.substring(1);
        } else if (t.startsWith("v")) {
            range = Range.CALLERS;
            t = t.substring(1);
        }
        boolean value = t.startsWith("+");
        String flag = t.substring(1);
        if (!(t.startsWith("+") || t.startsWith("-")) || !(flag.equals("app") || flag.equals("group"))) {
            throw new IllegalArgumentException("unknown action '" + token + "' in rule: " + line);
        }
        return new Action(range, flag, value);
    }

    private static Matcher matcher(String token, String line) {
        boolean negated = token.startsWith("!");
        String t = negated ? token.substring(1) : token;
        int colon = t.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("bad matcher '" + token + "' in rule: " + line);
        }
        String key = t.substring(0, colon);
        String value = unquote(t.substring(colon + 1));
        key = switch (key) {
            case "stack.function", "function" -> "function";
            case "stack.module", "module" -> "module";
            case "stack.abs_path", "path", "stack.filename" -> "path";
            case "family" -> "family";
            case "app" -> "app";
            default -> throw new IllegalArgumentException("unsupported matcher '" + key + "' in rule: " + line);
        };
        return switch (key) {
            case "path" -> new Matcher(key, negated, Glob.compile(value, true, true), List.of(), false);
            case "app" -> new Matcher(key, negated, null, List.of(), appValue(value, line).equals("yes"));
            case "family" -> new Matcher(key, negated, null, List.of(value.split(",")), false);
            default -> new Matcher(key, negated, Glob.compile(value, false, false), List.of(), false);
        };
    }

    private static String appValue(String value, String line) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "yes", "true", "1" -> "yes";
            case "no", "false", "0" -> "no";
            default -> throw new IllegalArgumentException("bad app value '" + value + "' in rule: " + line);
        };
    }

    private static List<String> tokens(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
                cur.append(c);
            } else if (Character.isWhitespace(c) && !quoted) {
                if (!cur.isEmpty()) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(c);
            }
        }
        if (!cur.isEmpty()) {
            out.add(cur.toString());
        }
        return out;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
