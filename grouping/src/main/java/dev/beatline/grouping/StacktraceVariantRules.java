package dev.beatline.grouping;

import java.util.EnumMap;
import java.util.Map;

/**
 * How the app and system variants of a stack-trace based strategy relate, as in Sentry: the system variant is
 * mandatory — when it does not contribute neither does the app variant, and an app variant equal to the system
 * one is dropped — and a variant without a contributing stack trace gives way to one that has it.
 */
final class StacktraceVariantRules {

    private StacktraceVariantRules() {
    }

    static Map<Variant, GroupingComponent> apply(Map<Variant, GroupingComponent> variants) {
        Map<Variant, GroupingComponent> out = new EnumMap<>(variants);
        GroupingComponent system = out.get(Variant.SYSTEM);
        GroupingComponent app = out.get(Variant.APP);
        if (system != null && app != null && app.contributes()) {
            if (!system.contributes()) {
                out.put(Variant.APP, app.ignored("ignored because system variant is not used"));
            } else if (app.contributingValues().equals(system.contributingValues())) {
                out.put(Variant.APP, app.ignored("ignored because hash matches system variant"));
            }
        }
        if (out.size() > 1) {
            Variant withStacktrace = null;
            int count = 0;
            for (Map.Entry<Variant, GroupingComponent> e : out.entrySet()) {
                if (e.getValue().hasContributingStacktrace()) {
                    withStacktrace = e.getKey();
                    count++;
                }
            }
            if (withStacktrace != null) {
                String suffix = count == 1 ? "the " + withStacktrace.label + " variant does" : "others do";
                out.replaceAll((variant, c) -> c.hasContributingStacktrace() || !c.contributes() ? c
                        : c.ignored("ignored because this variant does not have a contributing stacktrace, but "
                                + suffix));
            }
        }
        return out;
    }
}
