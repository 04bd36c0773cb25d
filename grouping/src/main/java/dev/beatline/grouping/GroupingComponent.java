package dev.beatline.grouping;

import java.util.ArrayList;
import java.util.List;

/**
 * One node of a grouping component tree, as Sentry builds them: a named part of an event ({@code exception},
 * {@code stacktrace}, {@code frame}, {@code module}, …) that holds either leaf values or child components, and
 * says whether it contributes to the hash and why (the hint). Immutable; the {@code with…} methods copy.
 *
 * @param id          component name ({@code frame}, {@code function}, {@code context-line}, …)
 * @param values      leaf strings (empty for inner nodes)
 * @param children    child components (empty for leaves)
 * @param contributes whether the contributing values of this node go into the hash
 * @param hint        why the node (does not) contribute, or how its value was normalized; null when none
 */
public record GroupingComponent(String id, List<String> values, List<GroupingComponent> children,
        boolean contributes, String hint) {

    public GroupingComponent {
        values = List.copyOf(values);
        children = List.copyOf(children);
    }

    /** A leaf holding one value; contributes unless the value is null (an absent part contributes nothing). */
    public static GroupingComponent leaf(String id, String value) {
        return value == null
                ? new GroupingComponent(id, List.of(), List.of(), false, null)
                : new GroupingComponent(id, List.of(value), List.of(), true, null);
    }

    /** A leaf holding several values (e.g. resolved fingerprint entries). */
    public static GroupingComponent leaves(String id, List<String> values) {
        return new GroupingComponent(id, values, List.of(), !values.isEmpty(), null);
    }

    /** An inner node; it contributes when any child contributes. */
    public static GroupingComponent node(String id, List<GroupingComponent> children) {
        return new GroupingComponent(id, List.of(), children,
                children.stream().anyMatch(GroupingComponent::contributes), null);
    }

    public GroupingComponent withValue(String value, String hint) {
        return new GroupingComponent(id, List.of(value), children, contributes, hint);
    }

    /** This component excluded from the hash, with the reason. */
    public GroupingComponent ignored(String why) {
        return new GroupingComponent(id, values, children, false, why);
    }

    public GroupingComponent withHint(String why) {
        return new GroupingComponent(id, values, children, contributes, why);
    }

    public boolean isEmpty() {
        return values.isEmpty() && children.isEmpty();
    }

    /** The leaf values that go into the hash: depth first, only through contributing components. */
    public List<String> contributingValues() {
        List<String> out = new ArrayList<>();
        collect(this, out);
        return out;
    }

    private static void collect(GroupingComponent c, List<String> out) {
        if (!c.contributes) {
            return;
        }
        out.addAll(c.values);
        for (GroupingComponent child : c.children) {
            collect(child, out);
        }
    }

    /** The first descendant (or this) with the given id, depth first; null when none. */
    public GroupingComponent find(String wanted) {
        if (id.equals(wanted)) {
            return this;
        }
        for (GroupingComponent child : children) {
            GroupingComponent hit = child.find(wanted);
            if (hit != null) {
                return hit;
            }
        }
        return null;
    }

    /** Whether a contributing {@code stacktrace} component is reachable through contributing components. */
    public boolean hasContributingStacktrace() {
        if (!contributes) {
            return false;
        }
        if (id.equals("stacktrace")) {
            return true;
        }
        return children.stream().anyMatch(GroupingComponent::hasContributingStacktrace);
    }

    /** The tree as indented text in Sentry's snapshot style: {@code name*} contributes, hints in parentheses. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        render(this, 0, sb);
        return sb.toString();
    }

    private static void render(GroupingComponent c, int depth, StringBuilder sb) {
        String indent = "  ".repeat(depth);
        sb.append(indent).append(c.id).append(c.contributes ? "*" : "");
        if (c.hint != null) {
            sb.append(" (").append(c.hint).append(')');
        }
        sb.append('\n');
        for (String v : c.values) {
            sb.append(indent).append("  \"").append(v).append("\"\n");
        }
        for (GroupingComponent child : c.children) {
            render(child, depth + 1, sb);
        }
    }
}
