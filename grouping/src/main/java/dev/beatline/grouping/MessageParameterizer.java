package dev.beatline.grouping;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sentry's {@code normalize_message_for_grouping}: keeps the first two non-empty lines (adding {@code ...}
 * when it cut something) and replaces event-specific values with placeholders, so
 * {@code "Order 1234 failed for bob@example.com"} and {@code "Order 99 failed for ann@example.org"} group
 * together. Placeholders and their order (first alternative wins at each position, as in Sentry):
 * {@code <email> <url> <hostname> <ip> <traceparent> <uuid> <sha1> <md5> <date> <duration> <swift_txn_id>
 * <hex> <git_sha> <float> <int> <quoted_str> <bool>}. Patterns pinned to getsentry/sentry
 * {@code src/sentry/grouping/parameterization.py} at commit 01a4552f.
 *
 * <p>The result is defined as one alternation of all patterns scanned left to right ({@link #referencePattern()}),
 * but a Java alternation tries every branch at every position, which made this the processor's hottest code.
 * So each pattern is split into its top-level alternatives, and each alternative carries what it cannot match
 * without: characters the text must contain (else it is skipped for the whole text) and a cheap test of where
 * a match can begin (else it is not tried there). Both are necessary conditions only, so skipping never changes
 * the result; {@code MessageParameterizerTest} compares the two on random messages.
 */
public final class MessageParameterizer {

    private static final String IPV4_PART = "(?:25[0-5]|(?:2[0-4]|1?[0-9])?[0-9])";
    private static final String IPV4 = "(?:" + IPV4_PART + "\\.){3}" + IPV4_PART;
    private static final String H = "[0-9a-fA-F]{1,4}";
    private static final String MONTH = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)";
    private static final String DAY = "(?:Sun|Mon|Tue|Wed|Thu|Fri|Sat)";
    private static final String ZONE = "(?:[-+]\\d{2}[0-5]\\d|(?:UT|GMT|(?:E|C|M|P)(?:ST|DT)|[A-IK-Z]))";
    private static final String TLDS = "COM|NET|ORG|JP|DE|UK|FR|BR|IT|RU|ES|ME|GOV|PL|CA|AU|CN|CO|IN|NL|EDU|INFO|EU|CH|ID"
            + "|AT|KR|CZ|MX|BE|TV|SE|TR|TW|AL|UA|IR|VN|CL|SK|LY|CC|TO|NO|FI|US|PT|DK|AR|HU|TK|GR|IL|NEWS|RO|MY|BIZ|IE|ZA"
            + "|NZ|SG|EE|TH|IO|XYZ|PE|BG|HK|RS|LT|LINK|PH|CLUB|SI|SITE|MOBI|BY|CAT|WIKI|LA|GA|XXX|CF|HR|NG|JOBS|ONLINE|KZ"
            + "|UG|GQ|AE|IS|LV|PRO|FM|TIPS|MS|SA|APP";

    /** Characters a text may contain, found in one pass; an alternative needing an absent one is skipped. */
    private static final int AT = 1;
    private static final int SCHEME = 1 << 1;
    private static final int DOT = 1 << 2;
    private static final int COLON = 1 << 3;
    private static final int DASH = 1 << 4;
    private static final int DIGIT = 1 << 5;
    private static final int EQUALS = 1 << 6;
    private static final int HEX_RUN_32 = 1 << 7;
    private static final int DATETIME_CALL = 1 << 8;

    /** Where a match can begin: a necessary condition on the text at {@code i} (whose char is {@code c}). */
    @FunctionalInterface
    private interface Start {
        boolean test(String text, int i, char c);
    }

    /**
     * One top-level alternative of a placeholder's pattern: the text must contain all of {@code needs}, a match
     * can only begin with one of {@code firsts} (ASCII; a superset is safe) where {@code start} holds, and, if
     * {@code wordStart}, not at a word character that follows another (every branch begins with a word boundary
     * or a lookbehind refusing word characters).
     */
    private record Alternative(String name, String firsts, String regex, int needs, boolean wordStart, Start start) {
    }

    private static final String DIGITS = "0123456789";
    private static final String HEX = DIGITS + "abcdefABCDEF";
    private static final String LOWER_HEX = DIGITS + "abcdef";
    private static final String UPPER_HEX = DIGITS + "ABCDEF";
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String EMAIL_LOCAL = LETTERS + DIGITS + ".!#$%&'*+/=?^_`{|}~-";
    private static final String DAY_INITIALS = "SMTWF";
    private static final String DAY_OR_MONTH_INITIALS = DAY_INITIALS + "JAOND";
    private static final Start ANYWHERE = (t, i, c) -> true;

    private static final List<Alternative> ALTERNATIVES = List.of(
            new Alternative("email", EMAIL_LOCAL, "[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9-]+(?:\\.[a-zA-Z0-9-]+)*",
                    AT, false, (t, i, c) -> followedBy(t, i, run(t, i, MessageParameterizer::isEmailLocal), '@')),
            new Alternative("url", "whf", "\\b(?:wss?|https?|ftp)://[^\\s/$.?#].[^\\s]*", SCHEME, true, ANYWHERE),
            new Alternative("hostname", LETTERS + DIGITS + "-",
                    "\\b(?:[a-zA-Z0-9\\-]{1,63}\\.)+?(?:(?:" + TLDS + ")|(?:" + TLDS.toLowerCase() + "))\\b", DOT, true,
                    (t, i, c) -> followedBy(t, i, run(t, i, MessageParameterizer::isHostnameLabel), '.')),
            new Alternative("ip", ":" + HEX, "(?<![0-9a-zA-Z_])(?:"
                    + "(?:" + H + ":){7}" + H + "|(?:" + H + ":){1,7}:|(?:" + H + ":){1,6}:" + H
                    + "|(?:" + H + ":){1,5}(?::" + H + "){1,2}|(?:" + H + ":){1,4}(?::" + H + "){1,3}"
                    + "|(?:" + H + ":){1,3}(?::" + H + "){1,4}|(?:" + H + ":){1,2}(?::" + H + "){1,5}"
                    + "|" + H + ":(?:(?::" + H + "){1,6})|:(?:(?::" + H + "){1,7}|:)"
                    + "|fe80:(?::[0-9a-fA-F]{0,4}){0,4}%[0-9a-zA-Z]+"
                    + "|::(?:ffff(?::0{1,4})?:)?" + IPV4 + "|(?:" + H + ":){1,4}:" + IPV4 + "\\b"
                    + ")(?![0-9a-zA-Z])", COLON, true,
                    (t, i, c) -> c == ':' || shortRunThen(t, i, run(t, i, MessageParameterizer::isHex), 4, ':')),
            new Alternative("ip", DIGITS, "\\b" + IPV4 + "\\b", DOT | DIGIT, true,
                    (t, i, c) -> shortRunThen(t, i, run(t, i, MessageParameterizer::isAsciiDigit), 3, '.')),
            new Alternative("traceparent", "01",
                    "\\b00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]\\b|\\b1-[0-9a-f]{8}-[0-9a-f]{24}\\b", DASH | DIGIT, true,
                    ANYWHERE),
            new Alternative("uuid", HEX,
                    "\\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\b", DASH, true,
                    (t, i, c) -> followedBy(t, i, run(t, i, MessageParameterizer::isHex), '-')),
            new Alternative("sha1", HEX, "\\b[0-9a-fA-F]{40}\\b", HEX_RUN_32, true,
                    (t, i, c) -> run(t, i, MessageParameterizer::isHex) >= 40),
            new Alternative("md5", HEX, "\\b[0-9a-fA-F]{32}\\b", HEX_RUN_32, true,
                    (t, i, c) -> run(t, i, MessageParameterizer::isHex) >= 32),
            date(DAY_INITIALS,
                    DAY + ",\\s\\d{1,2}\\s" + MONTH + "\\s\\d{2,4}\\s\\d{1,2}:\\d{1,2}(?::\\d{1,2})?\\s" + ZONE,
                    DIGIT | COLON, ANYWHERE),
            date(DAY_OR_MONTH_INITIALS, "(?:" + DAY + "\\s)?" + MONTH + "\\s[0-3]\\d,\\s\\d{2,4}", DIGIT, ANYWHERE),
            date(DAY_INITIALS, "(?:Sun|Sunday|Mon|Monday|Tue|Tuesday|Wed|Wednesday|Thu|Thursday|Fri|Friday|Sat|Saturday)"
                    + ",\\s\\d{2}-" + MONTH + "-\\d{2}\\s\\d{2}:\\d{2}:\\d{2}\\s(?:UT|GMT|(?:E|C|M|P)(?:ST|DT)|[A-IK-Z])",
                    DIGIT | DASH | COLON, ANYWHERE),
            date(DIGITS, "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?Z?(?:[+-]?\\d{2}:\\d{2})?",
                    DIGIT | DASH | COLON, MessageParameterizer::fourDigits),
            date(DAY_INITIALS,
                    DAY + "\\s" + MONTH + "\\s\\d{2}\\s\\d{4}\\s\\d{2}:\\d{2}:\\d{2}\\sGMT[+-]\\d{4}(?:\\s\\([^)]+\\))?",
                    DIGIT | COLON, ANYWHERE),
            date(DIGITS, "\\d{4}-?[01]\\d-?[0-3]\\d[\\sT][0-2]\\d:?[0-5]\\d:?[0-5]\\d\\.\\d+(?:[+-][0-2]\\d:?[0-5]\\d|Z)",
                    DIGIT | DOT, MessageParameterizer::fourDigits),
            date(DIGITS, "\\d{4}-?[01]\\d-?[0-3]\\d[\\sT][0-2]\\d:?[0-5]\\d:?[0-5]\\d(?:[+-][0-2]\\d:?[0-5]\\d|Z)", DIGIT,
                    MessageParameterizer::fourDigits),
            date(DIGITS, "\\d{4}-?[01]\\d-?[0-3]\\d[\\sT][0-2]\\d:?[0-5]\\d(?:[+-][0-2]\\d:?[0-5]\\d|Z)", DIGIT,
                    MessageParameterizer::fourDigits),
            date(DIGITS, "\\d{4}-?[01]\\d-?[0-3]\\d[\\sT][0-2]\\d:?[0-5]\\d:?[0-5]\\d\\.\\d+", DIGIT | DOT,
                    MessageParameterizer::fourDigits),
            date(DIGITS, "\\d{4}-?[01]\\d-?[0-3]\\d[\\sT][0-2]\\d:?[0-5]\\d:?[0-5]\\d", DIGIT,
                    MessageParameterizer::fourDigits),
            date(DIGITS, "\\d{4}-?[01]\\d-?[0-3]\\d[\\sT][0-2]\\d:?[0-5]\\d", DIGIT, MessageParameterizer::fourDigits),
            date(DIGITS, "(?<!\\d)(?:[1-9]|1[0-2]):[0-5]\\d(?::[0-5]\\d)?(?![\\d:])(?:\\s?[aApP][Mm])?", DIGIT | COLON,
                    MessageParameterizer::colonSoon),
            date(DIGITS, "(?<!\\d)(?:0?\\d|1\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d)?(?![\\d:])", DIGIT | COLON,
                    MessageParameterizer::colonSoon),
            date(DIGITS, "\\d{4}-[01]\\d-[0-3]\\d", DIGIT | DASH, MessageParameterizer::fourDigits),
            date("012", "[0-2]\\d:[0-5]\\d:[0-5]\\d", DIGIT | COLON, MessageParameterizer::colonSoon),
            date(DAY_OR_MONTH_INITIALS,
                    "\\b(?:" + DAY + "\\s+)?" + MONTH + "\\s+\\d{1,2}\\s+\\d{2}:\\d{2}:\\d{2}\\s+\\d{4}", DIGIT | COLON,
                    ANYWHERE),
            date(DAY_INITIALS + DIGITS, "\\b(?:" + DAY + ",\\s+)?(?:0[1-9]|[1-2]?\\d|3[01])\\s+" + MONTH
                    + "\\s+(?:19\\d{2}|[2-9]\\d{3})\\s+(?:2[0-3]|[0-1]\\d):[0-5]\\d(?::(?:60|[0-5]\\d))?\\s+" + ZONE,
                    DIGIT | COLON, ANYWHERE),
            date("d", "datetime\\.datetime\\(.*?\\)", DATETIME_CALL, ANYWHERE),
            new Alternative("duration", DIGITS, "\\b\\d+ms|\\d+(?:\\.\\d+)?s\\b", DIGIT, false, ANYWHERE),
            new Alternative("swift_txn_id", "t", "\\btx[0-9a-f]{21}-[0-9a-f]{10}\\S*", DASH, true, ANYWHERE),
            new Alternative("hex", "0", "\\b0[xX][0-9a-fA-F]+\\b", DIGIT, true,
                    (t, i, c) -> i + 1 < t.length() && (t.charAt(i + 1) | 0x20) == 'x'),
            new Alternative("hex", LOWER_HEX, "\\b(?=[a-f]*[0-9])[0-9a-f]{8,128}\\b", DIGIT, true,
                    (t, i, c) -> run(t, i, MessageParameterizer::isLowerHex) >= 8),
            new Alternative("hex", UPPER_HEX, "\\b(?=[A-F]*[0-9])[0-9A-F]{8,128}\\b", DIGIT, true,
                    (t, i, c) -> run(t, i, MessageParameterizer::isUpperHex) >= 8),
            new Alternative("git_sha", LOWER_HEX, "\\b(?=[a-f]*[0-9])(?=[0-9]*[a-f])[0-9a-f]{7}\\b", DIGIT, true,
                    (t, i, c) -> run(t, i, MessageParameterizer::isLowerHex) >= 7),
            new Alternative("float", "-" + DIGITS, "-\\d+\\.\\d+\\b|\\b\\d+\\.\\d+\\b", DIGIT | DOT, false, ANYWHERE),
            new Alternative("int", "-" + DIGITS, "(?:\\b|(?<!\\w)-)\\d{1,7}\\b", DIGIT, true, ANYWHERE),
            new Alternative("quoted_str", "'\"", "(?<==)(?:'[^']+'|\"[^\"]+\")", EQUALS, false, MessageParameterizer::afterEquals),
            new Alternative("bool", "TtFf", "(?<==)(?:True|true|False|false)", EQUALS, false,
                    MessageParameterizer::afterEquals));

    /**
     * For each ASCII character, the alternatives whose match can begin with it (one bit per alternative). Of the
     * other characters only Unicode digits begin matches (those of alternatives beginning with {@code \d}).
     */
    private static final long[] BEGINS_WITH = new long[128];
    /** Alternatives that cannot begin at a word character following another. */
    private static final long WORD_START;

    static {
        if (ALTERNATIVES.size() > Long.SIZE) {
            throw new IllegalStateException("one bit per alternative");
        }
        long wordStart = 0;
        for (int k = 0; k < ALTERNATIVES.size(); k++) {
            Alternative a = ALTERNATIVES.get(k);
            for (char c : a.firsts().toCharArray()) {
                BEGINS_WITH[c] |= 1L << k;
            }
            wordStart |= a.wordStart() ? 1L << k : 0;
        }
        WORD_START = wordStart;
    }

    /** The alternatives' patterns, compiled once. Python 3 str patterns treat \d, \w and \b as Unicode; so do these. */
    private static final Pattern[] PATTERNS = ALTERNATIVES.stream()
            .map(a -> Pattern.compile(a.regex(), Pattern.UNICODE_CHARACTER_CLASS)).toArray(Pattern[]::new);

    /** Line breaks as Python's {@code str.splitlines()} sees them. */
    private static final Pattern LINE_BREAK =
            Pattern.compile("\\r\\n|[\\n\\r\\u000b\\u000c\\u001c\\u001d\\u001e\\u0085\\u2028\\u2029]");

    private MessageParameterizer() {
    }

    private static Alternative date(String firsts, String regex, int needs, Start start) {
        return new Alternative("date", firsts, regex, needs, false, start);
    }

    /** The message as Sentry groups by it: two lines at most, event-specific values replaced. */
    public static String normalize(String message) {
        return parameterize(trimToTwoLines(message));
    }

    /** First two non-blank lines joined by a newline, plus {@code ...} if that dropped anything. */
    static String trimToTwoLines(String message) {
        if (!LINE_BREAK.matcher(message).find()) {
            return message.isBlank() && !message.isEmpty() ? "..." : message;
        }
        List<String> kept = new ArrayList<>(2);
        for (String line : LINE_BREAK.split(message, -1)) {
            if (!line.isBlank()) {
                kept.add(line);
                if (kept.size() == 2) {
                    break;
                }
            }
        }
        String trimmed = String.join("\n", kept);
        return trimmed.equals(message) ? trimmed : trimmed + "...";
    }

    /**
     * Replaces every event-specific value by its {@code <placeholder>}: at each position the first alternative
     * that matches there wins and the scan goes on after its match, as {@link #referencePattern()} would.
     */
    public static String parameterize(String text) {
        int features = features(text);
        long active = 0;
        for (int k = 0; k < ALTERNATIVES.size(); k++) {
            int needs = ALTERNATIVES.get(k).needs();
            if ((features & needs) == needs) {
                active |= 1L << k;
            }
        }
        if (active == 0) {
            return text;
        }
        Matcher[] matchers = new Matcher[PATTERNS.length];
        StringBuilder out = null;
        int copied = 0;
        int len = text.length();
        int i = 0;
        while (i < len) {
            char c = text.charAt(i);
            boolean surrogate = Character.isSurrogate(c);
            long candidates = c < 128 ? BEGINS_WITH[c] & active
                    : surrogate ? active // a surrogate pair may be a digit: let every pattern decide
                    : Character.isDigit(c) ? BEGINS_WITH['0'] & active : 0; // \d is Unicode
            if (candidates != 0 && isAsciiWord(c) && i > 0 && isAsciiWord(text.charAt(i - 1))) {
                candidates &= ~WORD_START; // no word boundary between two word characters
            }
            int end = -1;
            for (long left = candidates; left != 0 && end < 0; left &= left - 1) {
                int k = Long.numberOfTrailingZeros(left);
                Alternative alt = ALTERNATIVES.get(k);
                if (!surrogate && !alt.start().test(text, i, c)) {
                    continue;
                }
                Matcher m = matchers[k];
                if (m == null) {
                    m = matchers[k] = PATTERNS[k].matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
                }
                m.region(i, len);
                if (m.lookingAt() && m.end() > i) {
                    end = m.end();
                    out = out == null ? new StringBuilder(len) : out;
                    out.append(text, copied, i).append('<').append(alt.name()).append('>');
                    copied = end;
                }
            }
            i = end > 0 ? end : i + 1;
        }
        return out == null ? text : out.append(text, copied, len).toString();
    }

    private static int features(String text) {
        int f = 0;
        int hexRun = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '@' -> f |= AT;
                case '.' -> f |= DOT;
                case ':' -> f |= COLON;
                case '-' -> f |= DASH;
                case '=' -> f |= EQUALS;
                default -> {
                }
            }
            hexRun = isHex(c) ? hexRun + 1 : 0;
            if (hexRun == 32) {
                f |= HEX_RUN_32;
            }
            if (Character.isDigit(c) || (Character.isHighSurrogate(c) && Character.isDigit(text.codePointAt(i)))) {
                f |= DIGIT;
            }
        }
        if ((f & COLON) != 0 && text.contains("://")) {
            f |= SCHEME;
        }
        if ((f & DOT) != 0 && text.contains("datetime.datetime(")) {
            f |= DATETIME_CALL;
        }
        return f;
    }

    @FunctionalInterface
    private interface CharTest {
        boolean test(char c);
    }

    /** Length of the run of characters passing {@code test} from {@code i}. */
    private static int run(String text, int i, CharTest test) {
        int j = i;
        while (j < text.length() && test.test(text.charAt(j))) {
            j++;
        }
        return j - i;
    }

    /** Whether a non-empty run of {@code length} from {@code i} is followed by {@code next}. */
    private static boolean followedBy(String text, int i, int length, char next) {
        return length > 0 && i + length < text.length() && text.charAt(i + length) == next;
    }

    private static boolean shortRunThen(String text, int i, int length, int max, char next) {
        return length <= max && followedBy(text, i, length, next);
    }

    /** A colon within three chars after {@code i} (or a surrogate: a digit taking two chars may come first). */
    private static boolean colonSoon(String text, int i, char c) {
        for (int j = i + 1; j <= i + 3 && j < text.length(); j++) {
            char d = text.charAt(j);
            if (d == ':' || Character.isSurrogate(d)) {
                return true;
            }
        }
        return false;
    }

    /** Four Unicode digits from {@code i} (a surrogate counts: it may be half of one). */
    private static boolean fourDigits(String text, int i, char c) {
        if (i + 4 > text.length()) {
            return false;
        }
        for (int j = i; j < i + 4; j++) {
            char d = text.charAt(j);
            if (!Character.isDigit(d) && !Character.isSurrogate(d)) {
                return false;
            }
        }
        return true;
    }

    private static boolean afterEquals(String text, int i, char c) {
        return i > 0 && text.charAt(i - 1) == '=';
    }

    private static boolean isHex(char c) {
        return isAsciiDigit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
    }

    private static boolean isLowerHex(char c) {
        return isAsciiDigit(c) || (c >= 'a' && c <= 'f');
    }

    private static boolean isUpperHex(char c) {
        return isAsciiDigit(c) || (c >= 'A' && c <= 'F');
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAsciiWord(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '_');
    }

    private static boolean isEmailLocal(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || ".!#$%&'*+/=?^_`{|}~-".indexOf(c) >= 0);
    }

    private static boolean isHostnameLabel(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '-');
    }

    /** All patterns as one alternation with a named group per placeholder: the plain definition of the result. */
    static Pattern referencePattern() {
        StringBuilder sb = new StringBuilder();
        String open = null;
        int groups = 0;
        for (Alternative a : ALTERNATIVES) {
            if (!a.name().equals(open)) {
                sb.append(open == null ? "" : ")|").append("(?<p").append(groups++).append('>');
                open = a.name();
            } else {
                sb.append('|');
            }
            sb.append(a.regex());
        }
        return Pattern.compile(sb.append(')').toString(), Pattern.UNICODE_CHARACTER_CLASS);
    }

    /** Placeholder names in match priority order (the named groups of {@link #referencePattern()}). */
    static List<String> placeholderNames() {
        return ALTERNATIVES.stream().map(Alternative::name).distinct().toList();
    }
}
