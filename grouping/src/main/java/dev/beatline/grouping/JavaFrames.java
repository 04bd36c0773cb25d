package dev.beatline.grouping;

import java.util.regex.Pattern;

/**
 * Java frame normalization: generated class names (CGLIB, javassist, Hibernate proxies, Guice, reflection
 * accessors, Clojure functions) lose their random suffixes and lambdas are ignored, so the same code always
 * yields the same frame.
 */
final class JavaFrames {

    private static final String REFLECTION_ACCESSOR = "sun.reflect.GeneratedMethodAccessor";
    private static final String JDK_REFLECTION_ACCESSOR = "jdk.internal.reflect.GeneratedMethodAccessor";

    /** In order; each keeps group 1 and replaces the rest of the match with {@code <auto>}. */
    private static final Pattern[] CODEGEN_MARKERS = {
        Pattern.compile("(sun\\.reflect\\.Generated(?:Serialization)?ConstructorAccessor)\\d+"),
        Pattern.compile("(\\$\\$[\\w_]+?CGLIB\\$\\$)[a-fA-F0-9]+(_[0-9]+)?"),
        Pattern.compile("(\\$\\$_javassist)(?:_seam)?(?:_[0-9]+)?"),
        Pattern.compile("(\\$fn__)\\d+"),
        Pattern.compile("(\\$\\$?EnhancerBy[\\w_]+?\\$?\\$)[a-fA-F0-9]+(_[0-9]+)?"),
        Pattern.compile("(\\$\\$?FastClassBy[\\w_]+?\\$?\\$)[a-fA-F0-9]+(_[0-9]+)?"),
        Pattern.compile("(\\$\\$?HibernateProxy\\$?\\$)\\w+(_[0-9]+)?"),
    };

    private static final Pattern JAVASSIST = CODEGEN_MARKERS[2];

    private JavaFrames() {
    }

    static GroupingComponent module(GroupingComponent module) {
        String value = module.values().get(0);
        GroupingComponent out = module;
        if (value.contains("$$Lambda$")) {
            out = out.ignored("ignored java lambda");
        }
        if (value.startsWith(REFLECTION_ACCESSOR)) {
            return out.withValue(REFLECTION_ACCESSOR, "removed reflection marker");
        }
        if (value.startsWith(JDK_REFLECTION_ACCESSOR)) {
            return out.withValue(JDK_REFLECTION_ACCESSOR, "removed reflection marker");
        }
        if (value.indexOf('$') < 0 && !value.contains("sun.reflect.Generated")) {
            return out; // every marker has a '$' but the first, which names sun.reflect.Generated…
        }
        String cleaned = value;
        for (Pattern marker : CODEGEN_MARKERS) {
            cleaned = marker.matcher(cleaned).replaceAll("$1<auto>");
        }
        return cleaned.equals(value) ? out : out.withValue(cleaned, "removed codegen marker");
    }

    static GroupingComponent filename(GroupingComponent filename) {
        String value = filename.values().get(0);
        if (!value.contains("$$_javassist")) {
            return filename;
        }
        String cleaned = JAVASSIST.matcher(value).replaceAll("$1<auto>");
        return cleaned.equals(value) ? filename : filename.withValue(cleaned, "cleaned javassist parts");
    }

    static GroupingComponent function(GroupingComponent function) {
        return function.values().get(0).startsWith("lambda$") ? function.ignored("ignored lambda function") : function;
    }
}
