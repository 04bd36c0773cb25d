package dev.beatline.grouping;

import dev.beatline.model.ExceptionInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sentry's exception-group filter (Python {@code ExceptionGroup}, .NET {@code AggregateException}, JS
 * {@code AggregateError}): when the chain carries a well-formed tree of {@code mechanism.exception_id} /
 * {@code parent_id}, group by its distinct top-level exceptions instead of by every member. A single distinct
 * top-level exception is grouped with its first-child path; several keep one of each plus the root group.
 * Anything malformed keeps the chain as sent.
 */
final class ExceptionGroups {

    private ExceptionGroups() {
    }

    /** Indexes into {@code exceptions} of the exceptions to group by, in order. */
    static List<Integer> filter(List<ExceptionInfo> exceptions, List<Map<Variant, GroupingComponent>> components) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < exceptions.size(); i++) {
            all.add(i);
        }
        if (exceptions.size() <= 1) {
            return all;
        }
        Map<Integer, Integer> byId = new HashMap<>();
        Map<Integer, List<Integer>> children = new HashMap<>();
        for (int i = exceptions.size() - 1; i >= 0; i--) {
            Integer id = intValue(ExceptionComponents.mechanism(exceptions.get(i), "exception_id"));
            if (id == null || byId.containsKey(id)) {
                return all;
            }
            byId.put(id, i);
            Integer parent = intValue(ExceptionComponents.mechanism(exceptions.get(i), "parent_id"));
            if (parent != null) {
                if (parent.equals(id)) {
                    return all;
                }
                children.computeIfAbsent(parent, p -> new ArrayList<>()).add(i);
            }
        }
        Integer root = byId.get(0);
        if (root == null) {
            return all;
        }
        List<Integer> topLevel = new ArrayList<>();
        if (!collectTopLevel(root, exceptions, children, topLevel, new HashSet<>())) {
            return all;
        }
        topLevel.sort(Comparator.comparing((Integer i) -> String.valueOf(exceptions.get(i).type())).reversed());
        List<Integer> distinct = new ArrayList<>();
        String previousKey = null;
        for (int i : topLevel) {
            String key = components.get(i).values().stream()
                    .map(c -> String.join("\u0000", c.contributingValues())).toList().toString();
            if (!key.equals(previousKey)) {
                distinct.add(i);
            }
            previousKey = key;
        }
        if (distinct.size() == 1) {
            List<Integer> path = new ArrayList<>();
            Set<Integer> seen = new HashSet<>();
            Integer current = distinct.get(0);
            while (current != null && seen.add(current)) {
                path.add(current);
                Integer id = intValue(ExceptionComponents.mechanism(exceptions.get(current), "exception_id"));
                List<Integer> kids = children.get(id);
                current = kids == null || kids.isEmpty() ? null : kids.get(0);
            }
            return path;
        }
        distinct.add(root);
        return distinct;
    }

    private static boolean collectTopLevel(int index, List<ExceptionInfo> exceptions,
            Map<Integer, List<Integer>> children, List<Integer> out, Set<Integer> visiting) {
        if (!visiting.add(index)) {
            return false; // cycle
        }
        ExceptionInfo ex = exceptions.get(index);
        if (Boolean.TRUE.equals(ExceptionComponents.mechanism(ex, "is_exception_group"))) {
            Integer id = intValue(ExceptionComponents.mechanism(ex, "exception_id"));
            for (int child : children.getOrDefault(id, List.of())) {
                if (!collectTopLevel(child, exceptions, children, out, visiting)) {
                    return false;
                }
            }
        } else {
            out.add(index);
        }
        return true;
    }

    private static Integer intValue(Object o) {
        if (o instanceof Number n) {
            return n.intValue();
        }
        if (o instanceof String s) {
            try {
                return Integer.valueOf(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
