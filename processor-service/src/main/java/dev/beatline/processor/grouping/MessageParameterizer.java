package dev.beatline.processor.grouping;

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

    /** Placeholder name and pattern, in match priority order. */
    private static final String[][] PATTERNS = {
        {"email", "[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9-]+(?:\\.[a-zA-Z0-9-]+)*"},
        {"url", "\\b(?:wss?|https?|ftp)://[^\\s/$.?#].[^\\s]*"},
        {"hostname", "\\b(?:[a-zA-Z0-9\\-]{1,63}\\.)+?(?:(?:" + TLDS + ")|(?:" + TLDS.toLowerCase() + "))\\b"},
        {"ip", "(?<![0-9a-zA-Z_])(?:"
                + "(?:" + H + ":){7}" + H + "|(?:" + H + ":){1,7}:|(?:" + H + ":){1,6}:" + H
                + "|(?:" + H + ":){1,5}(?::" + H + "){1,2}|(?:" + H + ":){1,4}(?::" + H + "){1,3}"
                + "|(?:" + H + ":){1,3}(?::" + H + "){1,4}|(?:" + H + ":){1,2}(?::" + H + "){1,5}"
                + "|" + H + ":(?:(?::" + H + "){1,6})|:(?:(?::" + H + "){1,7}|:)"
                + "|fe80:(?::[0-9a-fA-F]{0,4}){0,4}%[0-9a-zA-Z]+"
                + "|::(?:ffff(?::0{1,4})?:)?" + IPV4 + "|(?:" + H + ":){1,4}:" + IPV4 + "\\b"
                + ")(?![0-9a-zA-Z])|\\b" + IPV4 + "\\b"},
        {"traceparent", "\\b00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]\\b|\\b1-[0-9a-f]{8}-[0-9a-f]{24}\\b"},
        {"uuid", "\\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\b"},
        {"sha1", "\\b[0-9a-fA-F]{40}\\b"},
        {"md5", "\\b[0-9a-fA-F]{32}\\b"},
        {"date", String.join("|",
                DAY + ",\\s\\d{1,2}\\s" + MONTH + "\\s\\d{2,4}\\s\\d{1,2}:\\d{1,2}(?::\\d{1,2})?\\s" + ZONE,
                "(?:" + DAY + "\\s)?" + MONTH + "\\s[0-3]\\d,\\s\\d{2,4}",
                "(?:Sun|Sunday|Mon|Monday|Tue|Tuesday|Wed|Wednesday|Thu|Thursday|Fri|Friday|Sat|Saturday),\\s\\d{2}-"
                        + MONTH + "-\\d{2}\\s\\d{2}:\\d{2}:\\d{2}\\s(?:UT|GMT|(?:E|C|M|P)(?:ST|DT)|[A-IK-Z])",
                "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?Z?(?:[+-]?\\d{2}:\\d{2})?",
                DAY + "\\s" + MONTH + "\\s\\d{2}\\s\\d{4}\\s\\d{2}:\\d{2}:\\d{2}\\sGMT[+-]\\d{4}(?:\\s\\([^)]+\\))?",
                "\\d{4}-?[01]\\d-?[0-3]\\d[\\sT][0-2]\\d:?[0-5]\\d:?[0-5]\\d\\.\\d+(?:[+-][0-2]\\d:?[0-5]\\d|Z)",
                "\\d{4}-?[01]\\d-?[0-3]\\d[\\sT][0-2]\\d:?[0-5]\\d:?[0-5]\\d(?:[+-][0-2]\\d:?[0-5]\\d|Z)",
                "\\d{4}-?[01]\\d-?[0-3]\\d[\\sT][0-2]\\d:?[0-5]\\d(?:[+-][0-2]\\d:?[0-5]\\d|Z)",
                "\\d{4}-?[01]\\d-?[0-3]\\d[\\sT][0-2]\\d:?[0-5]\\d:?[0-5]\\d\\.\\d+",
                "\\d{4}-?[01]\\d-?[0-3]\\d[\\sT][0-2]\\d:?[0-5]\\d:?[0-5]\\d",
                "\\d{4}-?[01]\\d-?[0-3]\\d[\\sT][0-2]\\d:?[0-5]\\d",
                "(?<!\\d)(?:[1-9]|1[0-2]):[0-5]\\d(?::[0-5]\\d)?(?![\\d:])(?:\\s?[aApP][Mm])?",
                "(?<!\\d)(?:0?\\d|1\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d)?(?![\\d:])",
                "\\d{4}-[01]\\d-[0-3]\\d",
                "[0-2]\\d:[0-5]\\d:[0-5]\\d",
                "\\b(?:" + DAY + "\\s+)?" + MONTH + "\\s+\\d{1,2}\\s+\\d{2}:\\d{2}:\\d{2}\\s+\\d{4}",
                "\\b(?:" + DAY + ",\\s+)?(?:0[1-9]|[1-2]?\\d|3[01])\\s+" + MONTH + "\\s+(?:19\\d{2}|[2-9]\\d{3})\\s+"
                        + "(?:2[0-3]|[0-1]\\d):[0-5]\\d(?::(?:60|[0-5]\\d))?\\s+" + ZONE,
                "datetime\\.datetime\\(.*?\\)")},
        {"duration", "\\b\\d+ms|\\d+(?:\\.\\d+)?s\\b"},
        {"swift_txn_id", "\\btx[0-9a-f]{21}-[0-9a-f]{10}\\S*"},
        {"hex", "\\b0[xX][0-9a-fA-F]+\\b|\\b(?=[a-f]*[0-9])[0-9a-f]{8,128}\\b|\\b(?=[A-F]*[0-9])[0-9A-F]{8,128}\\b"},
        {"git_sha", "\\b(?=[a-f]*[0-9])(?=[0-9]*[a-f])[0-9a-f]{7}\\b"},
        {"float", "-\\d+\\.\\d+\\b|\\b\\d+\\.\\d+\\b"},
        {"int", "(?:\\b|(?<!\\w)-)\\d{1,7}\\b"},
        {"quoted_str", "(?<==)(?:'[^']+'|\"[^\"]+\")"},
        {"bool", "(?<==)(?:True|true|False|false)"},
    };

    private static final Pattern COMBINED;
    private static final List<String> GROUP_NAMES = new ArrayList<>();

    static {
        StringBuilder sb = new StringBuilder();
        for (String[] p : PATTERNS) {
            String group = "p" + GROUP_NAMES.size(); // Java group names allow no underscore
            GROUP_NAMES.add(p[0]);
            sb.append(sb.isEmpty() ? "" : "|").append("(?<").append(group).append('>').append(p[1]).append(')');
        }
        // Python 3 str patterns treat \d, \w and \b as Unicode-aware; so must we.
        COMBINED = Pattern.compile(sb.toString(), Pattern.UNICODE_CHARACTER_CLASS);
    }

    private MessageParameterizer() {
    }

    /** The message as Sentry groups by it: two lines at most, event-specific values replaced. */
    public static String normalize(String message) {
        return parameterize(trimToTwoLines(message));
    }

    /** First two non-blank lines joined by a newline, plus {@code ...} if that dropped anything. */
    static String trimToTwoLines(String message) {
        List<String> kept = new ArrayList<>(2);
        for (String line : message.split("\r\n|[\n\r\u000b\u000c\u001c\u001d\u001e\u0085\u2028\u2029]", -1)) {
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

    /** Replaces every event-specific value by its {@code <placeholder>}. */
    public static String parameterize(String text) {
        Matcher m = COMBINED.matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int last = 0;
        do {
            out.append(text, last, m.start()).append('<').append(placeholder(m)).append('>');
            last = m.end();
        } while (m.find());
        return out.append(text, last, text.length()).toString();
    }

    private static final String[] GROUP_IDS = new String[PATTERNS.length];

    static {
        for (int i = 0; i < GROUP_IDS.length; i++) {
            GROUP_IDS[i] = "p" + i;
        }
    }

    private static String placeholder(Matcher m) {
        for (int i = 0; i < GROUP_NAMES.size(); i++) {
            if (m.start(GROUP_IDS[i]) >= 0) {
                return GROUP_NAMES.get(i);
            }
        }
        throw new IllegalStateException("match without a named group");
    }
}
