package dev.beatline.grouping;

import dev.beatline.model.ErrorEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups errors the way Sentry's {@code newstyle:2023-01-11} grouping config does, for events from every
 * source (Sentry SDKs and Elastic APM agents alike). Strategies in priority order — chained exceptions, a
 * message's stack trace, the message — each yield app/system (or default) variants; the first strategy that
 * contributes wins. A custom fingerprint (from the first matching {@link FingerprintRules fingerprint rule},
 * else from the SDK) replaces the result, a fingerprint with {@code {{ default }}} salts it. The hash of a variant is the MD5 of its contributing values; the primary hash is the first non-null one
 * with the system variant last. Pure and thread-safe.
 */
public final class Fingerprinter {

    /** Identifier of this grouping algorithm; stored with every issue so regrouping stays reproducible. */
    public static final String CONFIG = "newstyle:2023-01-11";

    private final StackTraceRules stackTraceRules;
    private final FingerprintRules fingerprintRules;
    private final StacktraceComponents stacktraces;
    private final ExceptionComponents exceptions;

    /** Built-in stack-trace rules only. */
    public Fingerprinter() {
        this(StackTraceRules.builtIn());
    }

    /** With the given rules (typically {@code StackTraceRules.builtIn().then(projectRules)}). */
    public Fingerprinter(StackTraceRules rules) {
        this(rules, FingerprintRules.none());
    }

    /** With the given stack-trace rules and fingerprint rules. */
    public Fingerprinter(StackTraceRules rules, FingerprintRules fingerprintRules) {
        this.stackTraceRules = rules;
        this.fingerprintRules = fingerprintRules;
        this.stacktraces = new StacktraceComponents(rules);
        this.exceptions = new ExceptionComponents(stacktraces);
    }

    /**
     * A project's grouping: the built-in stack-trace rules followed by the project's, and its fingerprint rules.
     *
     * @throws IllegalArgumentException when either text cannot be read (the message names the line)
     */
    public static Fingerprinter forProject(String stackTraceRules, String fingerprintRules) {
        boolean noStackTraceRules = stackTraceRules == null || stackTraceRules.isBlank();
        return new Fingerprinter(noStackTraceRules ? StackTraceRules.builtIn()
                : StackTraceRules.builtIn().then(StackTraceRules.parse(stackTraceRules)),
                FingerprintRules.parse(fingerprintRules));
    }

    /** The primary fingerprint with the lines that contributed to it, and a title a fingerprint rule set. */
    public GroupingResult fingerprint(ErrorEvent event) {
        Grouping grouping = group(event);
        GroupingVariant primary = grouping.primary();
        List<String> lines = new ArrayList<>();
        if (grouping.rule() != null) {
            lines.add("fingerprint rule: " + grouping.rule().rule());
        }
        lines.addAll(ComponentLines.of(primary.component()));
        return new GroupingResult(CONFIG, primary.hash(), lines, grouping.title());
    }

    /** Every variant with its hash and component tree. */
    public Grouping group(ErrorEvent event) {
        String platform = Platforms.normalize(event.platform());
        Map<String, List<GroupingComponent>> byVariant = strategyComponents(event, platform);

        List<GroupingVariant> variants = new ArrayList<>();
        FingerprintRules.Match rule = fingerprintRules.match(event, stackTraceRules);
        List<String> fingerprint = rule != null ? rule.fingerprint() : event.fingerprint();
        CustomFingerprint.Kind kind = CustomFingerprint.kind(fingerprint);
        List<String> resolved = kind == CustomFingerprint.Kind.DEFAULT ? List.of()
                : CustomFingerprint.resolve(fingerprint, event);
        if (kind == CustomFingerprint.Kind.CUSTOM) {
            GroupingComponent custom = GroupingComponent.leaves("custom-fingerprint", resolved);
            variants.add(new GroupingVariant("custom-fingerprint", GroupingHasher.hash(resolved),
                    rule == null ? custom : custom.withHint("fingerprint rule (" + rule.rule() + ")")));
        }
        for (String name : lookupOrder(byVariant)) {
            GroupingComponent root = GroupingComponent.node(name, byVariant.get(name));
            if (kind == CustomFingerprint.Kind.CUSTOM && root.contributes()) {
                root = root.ignored("custom fingerprint takes precedence");
            }
            variants.add(new GroupingVariant(name, hashOf(root, kind, resolved), salted(root, kind, resolved)));
        }
        if (variants.stream().allMatch(v -> v.hash() == null)) {
            variants.add(new GroupingVariant("fallback", GroupingHasher.hash(List.of()),
                    GroupingComponent.node("fallback", List.of())));
        }
        return new Grouping(CONFIG, variants, rule);
    }

    /** Components of every strategy by variant name; strategies after the first contributing one are ignored. */
    private Map<String, List<GroupingComponent>> strategyComponents(ErrorEvent event, String platform) {
        List<Map.Entry<String, Map<String, GroupingComponent>>> strategies = new ArrayList<>();
        if (!event.exceptions().isEmpty()) {
            strategies.add(Map.entry("exception",
                    named(StacktraceVariantRules.apply(exceptions.chain(event.exceptions(), platform)))));
        }
        if (!event.logStacktrace().isEmpty()) {
            strategies.add(Map.entry("stacktrace",
                    named(StacktraceVariantRules.apply(stacktraces.build(event.logStacktrace(), platform)))));
        }
        String message = event.paramMessage() != null && !event.paramMessage().isBlank() ? event.paramMessage()
                : event.message();
        if (message != null && !message.isBlank()) {
            String normalized = MessageParameterizer.normalize(message);
            GroupingComponent c = GroupingComponent.leaf("message", normalized);
            strategies.add(Map.entry("message",
                    Map.of("default", normalized.equals(message) ? c : c.withHint("stripped event-specific values"))));
        }

        Map<String, List<GroupingComponent>> byVariant = new LinkedHashMap<>();
        String winner = null;
        String precedence = null;
        for (Map.Entry<String, Map<String, GroupingComponent>> strategy : strategies) {
            Map<String, GroupingComponent> variants = strategy.getValue();
            if (winner == null && variants.values().stream().anyMatch(GroupingComponent::contributes)) {
                winner = strategy.getKey();
                List<String> contributing = variants.entrySet().stream().filter(e -> e.getValue().contributes())
                        .map(Map.Entry::getKey).sorted().toList();
                precedence = winner + " of " + String.join("/", contributing)
                        + (contributing.size() == 1 ? " takes" : " take") + " precedence";
                variants.forEach((name, c) -> byVariant.computeIfAbsent(name, n -> new ArrayList<>()).add(c));
                continue;
            }
            for (Map.Entry<String, GroupingComponent> e : variants.entrySet()) {
                GroupingComponent c = e.getValue();
                byVariant.computeIfAbsent(e.getKey(), n -> new ArrayList<>())
                        .add(winner != null && c.contributes() ? c.ignored(precedence) : c);
            }
        }
        return byVariant;
    }

    private static Map<String, GroupingComponent> named(Map<Variant, GroupingComponent> variants) {
        Map<String, GroupingComponent> out = new LinkedHashMap<>();
        variants.forEach((v, c) -> out.put(v.label, c));
        return out;
    }

    /** Sentry's order of hashes: as produced, but {@code system} last. */
    private static List<String> lookupOrder(Map<String, List<GroupingComponent>> byVariant) {
        List<String> names = new ArrayList<>(byVariant.keySet());
        if (names.remove("system")) {
            names.add("system");
        }
        return names;
    }

    private static String hashOf(GroupingComponent root, CustomFingerprint.Kind kind, List<String> resolved) {
        if (!root.contributes()) {
            return null;
        }
        if (kind != CustomFingerprint.Kind.HYBRID) {
            return GroupingHasher.hash(root.contributingValues());
        }
        List<String> values = new ArrayList<>();
        for (String entry : resolved) {
            if (CustomFingerprint.isDefault(entry)) {
                values.addAll(root.contributingValues());
            } else {
                values.add(entry);
            }
        }
        return GroupingHasher.hash(values);
    }

    /** For a hybrid fingerprint, the tree shows the fingerprint's own entries beside the default grouping. */
    private static GroupingComponent salted(GroupingComponent root, CustomFingerprint.Kind kind, List<String> resolved) {
        if (kind != CustomFingerprint.Kind.HYBRID || !root.contributes()) {
            return root;
        }
        List<String> salt = resolved.stream().filter(e -> !CustomFingerprint.isDefault(e)).toList();
        List<GroupingComponent> children = new ArrayList<>(root.children());
        children.add(GroupingComponent.leaves("salt", salt));
        return new GroupingComponent(root.id(), root.values(), children, true, root.hint());
    }
}
