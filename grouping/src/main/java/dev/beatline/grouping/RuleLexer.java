package dev.beatline.grouping;

/** Reads the tokens of one fingerprint rule line; every error names what was expected and where. */
final class RuleLexer {

    private final String line;
    private int pos;

    RuleLexer(String line) {
        this.line = line;
    }

    boolean atEnd() {
        skipSpace();
        return pos >= line.length();
    }

    boolean atArrow() {
        skipSpace();
        return line.startsWith("->", pos);
    }

    void arrow() {
        if (!atArrow()) {
            throw error("expected '->'");
        }
        pos += 2;
    }

    boolean consume(char c) {
        skipSpace();
        if (pos < line.length() && line.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    void expect(char c) {
        if (pos >= line.length() || line.charAt(pos) != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    /** A matcher name: letters, digits, {@code _ . -}, or the same in double quotes. */
    String key() {
        skipSpace();
        if (pos < line.length() && line.charAt(pos) == '"') {
            String quoted = quoted();
            if (quoted.isEmpty() || !quoted.chars().allMatch(c -> isKeyChar((char) c) || c == ':')) {
                throw error("bad quoted matcher name");
            }
            return quoted;
        }
        int start = pos;
        while (pos < line.length() && isKeyChar(line.charAt(pos))) {
            pos++;
        }
        if (start == pos) {
            throw error("expected a matcher name");
        }
        return line.substring(start, pos);
    }

    /** {@code name=} when the next token is an attribute (the position is then after the '='), else null. */
    String attributeKey() {
        skipSpace();
        int end = pos;
        while (end < line.length() && isKeyChar(line.charAt(end))) {
            end++;
        }
        if (end > pos && end + 1 < line.length() && line.charAt(end) == '=' && line.charAt(end + 1) == '"') {
            String key = line.substring(pos, end);
            pos = end + 1;
            return key;
        }
        return null;
    }

    /**
     * A quoted string, or an unquoted word: up to whitespace for a matcher value; for a fingerprint entry up to
     * whitespace or a comma, or a whole {@code {{ variable }}}.
     */
    String value(boolean fingerprintEntry) {
        skipSpace();
        if (pos >= line.length()) {
            throw error("expected a value");
        }
        if (line.charAt(pos) == '"') {
            return quoted();
        }
        if (fingerprintEntry && line.startsWith("{{", pos)) {
            int close = line.indexOf("}}", pos);
            if (close < 0) {
                throw error("unclosed '{{'");
            }
            String variable = line.substring(pos, close + 2);
            pos = close + 2;
            return variable;
        }
        int start = pos;
        while (pos < line.length() && !Character.isWhitespace(line.charAt(pos))
                && !(fingerprintEntry && (line.charAt(pos) == ',' || line.charAt(pos) == '{'))) {
            pos++;
        }
        if (start == pos) {
            throw error("expected a value");
        }
        return line.substring(start, pos);
    }

    private String quoted() {
        int start = pos;
        pos++; // opening quote
        StringBuilder out = new StringBuilder();
        while (pos < line.length()) {
            char c = line.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c == '\\' && pos < line.length()) {
                char next = line.charAt(pos++);
                out.append(switch (next) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    default -> next;
                });
            } else {
                out.append(c);
            }
        }
        pos = start;
        throw error("unclosed quote");
    }

    private void skipSpace() {
        while (pos < line.length() && Character.isWhitespace(line.charAt(pos))) {
            pos++;
        }
    }

    private static boolean isKeyChar(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-');
    }

    private IllegalArgumentException error(String what) {
        String near = line.substring(Math.min(pos, line.length()));
        return new IllegalArgumentException(what + " at column " + (pos + 1)
                + (near.isEmpty() ? " (end of line)" : " near \"" + (near.length() > 30 ? near.substring(0, 30) + "…" : near) + "\""));
    }
}
