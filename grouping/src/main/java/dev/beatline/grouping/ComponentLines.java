package dev.beatline.grouping;

import java.util.ArrayList;
import java.util.List;

/**
 * The contributing parts of a component tree as one human-readable line each, e.g.
 * {@code exception.type: java.lang.IllegalStateException} or
 * {@code frame: module=com.example.Foo function=bar}, so a person can see why two errors grouped together.
 */
final class ComponentLines {

    private ComponentLines() {
    }

    static List<String> of(GroupingComponent root) {
        List<String> out = new ArrayList<>();
        walk(root, out);
        return out;
    }

    private static void walk(GroupingComponent c, List<String> out) {
        if (!c.contributes()) {
            return;
        }
        switch (c.id()) {
            case "frame" -> {
                StringBuilder sb = new StringBuilder("frame:");
                for (GroupingComponent part : c.children()) {
                    if (part.contributes()) {
                        sb.append(' ').append(part.id()).append('=').append(String.join(" ", part.values()));
                    }
                }
                out.add(sb.toString());
            }
            case "type", "value", "ns-error" -> out.add("exception." + c.id() + ": " + String.join(" ", c.values()));
            case "custom-fingerprint", "salt" -> c.values().forEach(v -> out.add("fingerprint: " + v));
            default -> {
                c.values().forEach(v -> out.add(c.id() + ": " + v));
                c.children().forEach(child -> walk(child, out));
            }
        }
    }
}
