package dev.beatline.grouping;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Sentry's glob patterns for grouping rules: {@code *} any run of characters ({@code /} excepted in path mode,
 * where {@code **} crosses it), {@code ?} one character, {@code [abc]} one of a set; outside path mode a
 * backslash makes the next character literal. The whole value must match. Case-insensitive globs compare
 * lower-cased text.
 *
 * <p>Rules are tried against every frame of every event, so a glob first checks the literal text between its
 * wildcards (its prefix, its suffix, the pieces in between in order) and only runs the regular expression when
 * all of them are there; for {@code module:java.*} on {@code com.example.Shop} that is one {@code startsWith}.
 */
final class Glob {

    private final String text;
    private final boolean ignoreCase;
    private final Pattern pattern;
    /** Literal pieces between wildcards; null where the piece holds a character set (no fast check). */
    private final String prefix;
    private final String suffix;
    private final List<String> middle;

    private Glob(String text, boolean ignoreCase, Pattern pattern, String prefix, String suffix, List<String> middle) {
        this.text = text;
        this.ignoreCase = ignoreCase;
        this.pattern = pattern;
        this.prefix = prefix;
        this.suffix = suffix;
        this.middle = middle;
    }

    static Glob compile(String glob, boolean pathMode, boolean ignoreCase) {
        String g = ignoreCase ? glob.toLowerCase(Locale.ROOT) : glob;
        StringBuilder re = new StringBuilder();
        List<String> pieces = new ArrayList<>();
        StringBuilder piece = new StringBuilder();
        boolean simple = true; // no character set: the pieces are exact literals
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            if (c == '*' || c == '?') {
                pieces.add(piece.toString());
                piece.setLength(0);
                if (c == '?') {
                    re.append('.');
                    pieces.add(null); // '?' separates pieces but is not a free run
                } else if (pathMode && i + 1 < g.length() && g.charAt(i + 1) == '*') {
                    re.append(".*");
                    i++;
                } else {
                    re.append(pathMode ? "[^/]*" : ".*");
                }
            } else if (c == '[' && g.indexOf(']', i + 2) > 0) {
                int end = g.indexOf(']', i + 2);
                re.append('[');
                for (char k : g.substring(i + 1, end).toCharArray()) {
                    re.append("[]\\&^".indexOf(k) >= 0 ? "\\" + k : String.valueOf(k));
                }
                re.append(']');
                i = end;
                simple = false;
            } else {
                if (c == '\\' && !pathMode && i + 1 < g.length()) {
                    c = g.charAt(++i);
                }
                re.append(Pattern.quote(String.valueOf(c)));
                piece.append(c);
            }
        }
        pieces.add(piece.toString());
        Pattern pattern = Pattern.compile(re.toString(), Pattern.DOTALL);
        if (!simple || pieces.contains(null)) {
            return new Glob(glob, ignoreCase, pattern, null, null, List.of());
        }
        String prefix = pieces.get(0);
        String suffix = pieces.size() > 1 ? pieces.get(pieces.size() - 1) : null;
        List<String> middle = pieces.size() > 2 ? pieces.subList(1, pieces.size() - 1).stream()
                .filter(p -> !p.isEmpty()).toList() : List.of();
        return new Glob(glob, ignoreCase, pattern, prefix, suffix, middle);
    }

    boolean matches(String value) {
        String v = ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
        if (prefix != null) {
            if (suffix == null) {
                return v.equals(prefix); // no wildcard at all
            }
            if (!v.startsWith(prefix) || !v.endsWith(suffix) || v.length() < prefix.length() + suffix.length()) {
                return false;
            }
            int from = prefix.length();
            for (String m : middle) {
                int at = v.indexOf(m, from);
                if (at < 0) {
                    return false;
                }
                from = at + m.length();
            }
        }
        return pattern.matcher(v).matches();
    }

    /** The glob as written. */
    String text() {
        return text;
    }
}
