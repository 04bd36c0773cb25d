package dev.beatline.grouping;

import java.util.regex.Pattern;

/**
 * Sentry's glob patterns for grouping rules: {@code *} any run of characters and {@code ?} one character; in path
 * mode {@code *} and {@code ?} stop at {@code /} and {@code **} crosses it. A backslash makes the next character
 * literal. The whole value must match.
 */
final class Glob {

    private Glob() {
    }

    static Pattern compile(String glob, boolean pathMode, boolean ignoreCase) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                if (pathMode && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    re.append(".*");
                    i++;
                } else {
                    re.append(pathMode ? "[^/]*" : ".*");
                }
            } else if (c == '?') {
                re.append(pathMode ? "[^/]" : ".");
            } else if (c == '\\' && i + 1 < glob.length() && !pathMode) {
                re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        int flags = Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
        return Pattern.compile(re.toString(), flags);
    }
}
