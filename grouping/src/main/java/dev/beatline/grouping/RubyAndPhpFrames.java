package dev.beatline.grouping;

import java.util.regex.Pattern;

/** Ruby and PHP function-name normalization: block labels, generated ERB suffixes, anonymous classes. */
final class RubyAndPhpFrames {

    private static final Pattern ERB_SUFFIX = Pattern.compile("__\\d{4,}_\\d{4,}$");

    private RubyAndPhpFrames() {
    }

    static GroupingComponent rubyFunction(GroupingComponent function) {
        String value = function.values().get(0);
        if (value.startsWith("block ")) {
            return function.withValue("block", "ruby block");
        }
        String cleaned = ERB_SUFFIX.matcher(value).replaceFirst("");
        return cleaned.equals(value) ? function : function.withValue(cleaned, "removed generated erb template suffix");
    }

    static GroupingComponent phpFunction(GroupingComponent function) {
        String value = function.values().get(0);
        GroupingComponent out = function;
        if (value.startsWith("[Anonymous") || value.startsWith("class@anonymous\u0000")) {
            out = out.ignored("ignored anonymous function");
        }
        if (value.startsWith("class@anonymous")) {
            int sep = value.lastIndexOf("::");
            if (sep >= 0) {
                out = out.withValue(value.substring(sep + 2), "anonymous class method");
            }
        }
        return out;
    }
}
