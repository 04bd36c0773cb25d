package dev.beatline.grouping;

import dev.beatline.model.StackFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

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

    /** {@code [!]key:glob} against one frame attribute. */
    record Matcher(String key, boolean negated, Pattern pattern) {

        boolean matches(StackFrame frame, String platform, boolean inApp) {
            boolean hit = switch (key) {
                case "function" -> frame.function() != null && pattern.matcher(frame.function()).matches();
                case "module" -> frame.module() != null && pattern.matcher(frame.module()).matches();
                case "path" -> pathMatches(frame.absPath()) || pathMatches(frame.filename());
                case "family" -> pattern.matcher(Platforms.family(platform)).matches()
                        || pattern.pattern().equals("all");
                case "app" -> pattern.pattern().equals(inApp ? "yes" : "no");
                default -> false;
            };
            return hit != negated;
        }

        private boolean pathMatches(String path) {
            if (path == null) {
                return false;
            }
            String p = path.replace('\\', '/').toLowerCase(Locale.ROOT);
            return pattern.matcher(p).matches() || (!p.startsWith("/") && pattern.matcher("/" + p).matches());
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
        Pattern pattern = switch (key) {
            case "path" -> glob(value.toLowerCase(Locale.ROOT), true);
            case "app" -> Pattern.compile(appValue(value, line));
            case "family" -> Pattern.compile(String.join("|", value.split(",")));
            default -> glob(value, false);
        };
        return new Matcher(key, negated, pattern);
    }

    private static String appValue(String value, String line) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "yes", "true", "1" -> "yes";
            case "no", "false", "0" -> "no";
            default -> throw new IllegalArgumentException("bad app value '" + value + "' in rule: " + line);
        };
    }

    /** Sentry globs: {@code **} any characters, {@code *} any but {@code /} in paths (any elsewhere), {@code ?} one. */
    static Pattern glob(String glob, boolean pathMode) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    re.append(".*");
                    i++;
                } else {
                    re.append(pathMode ? "[^/]*" : ".*");
                }
            } else if (c == '?') {
                re.append('.');
            } else if (c == '[') {
                int end = glob.indexOf(']', i + 2);
                if (end < 0) {
                    re.append("\\[");
                } else {
                    re.append('[');
                    for (char k : glob.substring(i + 1, end).toCharArray()) {
                        re.append("[]\\&^".indexOf(k) >= 0 ? "\\" + k : String.valueOf(k));
                    }
                    re.append(']');
                    i = end;
                }
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
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
