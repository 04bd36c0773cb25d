package dev.beatline.grouping;

import dev.beatline.model.ExceptionInfo;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@code exception} component (stack trace, type, then value — the order of
 * {@code newstyle:2023-01-11}) of each exception and the {@code chained-exception} component of a chain. The
 * exception value, parameterized, contributes only when the stack trace does not. An exception without frames
 * has only an app variant, as in Sentry.
 */
final class ExceptionComponents {

    private final StacktraceComponents stacktraces;

    ExceptionComponents(StacktraceComponents stacktraces) {
        this.stacktraces = stacktraces;
    }

    /** Variants of a whole chain (root cause first), after the exception-group filter. */
    Map<Variant, GroupingComponent> chain(List<ExceptionInfo> exceptions, String platform) {
        List<Map<Variant, GroupingComponent>> all = new ArrayList<>(exceptions.size());
        for (ExceptionInfo ex : exceptions) {
            all.add(single(ex, platform));
        }
        List<Integer> kept = ExceptionGroups.filter(exceptions, all);
        if (kept.size() == 1) {
            return all.get(kept.get(0));
        }
        Map<Variant, List<GroupingComponent>> byVariant = new EnumMap<>(Variant.class);
        for (int index : kept) {
            all.get(index).forEach((variant, c) -> byVariant.computeIfAbsent(variant, v -> new ArrayList<>()).add(c));
        }
        Map<Variant, GroupingComponent> out = new EnumMap<>(Variant.class);
        byVariant.forEach((variant, list) -> out.put(variant, GroupingComponent.node("chained-exception", list)));
        return out;
    }

    Map<Variant, GroupingComponent> single(ExceptionInfo ex, String platform) {
        GroupingComponent type = GroupingComponent.leaf("type", ex.type() == null || ex.type().isEmpty() ? null : ex.type());
        if (type.contributes() && Boolean.TRUE.equals(mechanism(ex, "synthetic"))) {
            type = type.ignored("ignored because exception is synthetic");
        }
        GroupingComponent nsError = nsError(ex);
        Map<Variant, GroupingComponent> stacks = ex.frames().isEmpty()
                ? Map.of(Variant.APP, GroupingComponent.node("stacktrace", List.of()))
                : stacktraces.build(ex.frames(), platform);
        Map<Variant, GroupingComponent> out = new EnumMap<>(Variant.class);
        for (Map.Entry<Variant, GroupingComponent> e : stacks.entrySet()) {
            GroupingComponent stacktrace = e.getValue();
            List<GroupingComponent> parts = new ArrayList<>(4);
            if (!stacktrace.isEmpty()) {
                parts.add(stacktrace);
            }
            parts.add(type);
            if (nsError != null) {
                parts.add(nsError);
            }
            GroupingComponent value = value(ex.value());
            if (value.contributes() && stacktrace.contributes()) {
                value = value.ignored("ignored because stacktrace takes precedence");
            } else if (value.contributes() && nsError != null && nsError.contributes()) {
                value = value.ignored("ignored because ns-error info takes precedence");
            }
            parts.add(value);
            out.put(e.getKey(), GroupingComponent.node("exception", parts));
        }
        return out;
    }

    private static GroupingComponent value(String raw) {
        if (raw == null) {
            return GroupingComponent.leaf("value", null);
        }
        String normalized = MessageParameterizer.normalize(raw);
        if (normalized.isEmpty()) {
            return GroupingComponent.leaf("value", null);
        }
        GroupingComponent c = GroupingComponent.leaf("value", normalized);
        return normalized.equals(raw) ? c : c.withHint("stripped event-specific values");
    }

    private static GroupingComponent nsError(ExceptionInfo ex) {
        if (!(mechanism(ex, "meta") instanceof Map<?, ?> meta) || !(meta.get("ns_error") instanceof Map<?, ?> ns)) {
            return null;
        }
        List<String> values = new ArrayList<>(2);
        for (String key : List.of("domain", "code")) {
            Object v = ns.get(key);
            if (v != null) {
                values.add(v instanceof Number n && n.doubleValue() == n.longValue() ? Long.toString(n.longValue())
                        : v.toString());
            }
        }
        return GroupingComponent.leaves("ns-error", values);
    }

    static Object mechanism(ExceptionInfo ex, String key) {
        return ex.mechanism() == null ? null : ex.mechanism().get(key);
    }
}
