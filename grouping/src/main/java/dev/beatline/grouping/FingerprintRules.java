package dev.beatline.grouping;

import dev.beatline.model.ErrorEvent;
import dev.beatline.model.ExceptionInfo;
import dev.beatline.model.StackFrame;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A project's fingerprint rules in Sentry's syntax (formerly "server-side fingerprinting"), one rule per line,
 * {@code #} comments:
 * <pre>
 * error.type:DatabaseUnavailable -> system-down
 * message:"*connection refused*" logger:"app.db.*" -> db-refused, {{ level }} title="Database refused"
 * stack.function:checkout !app:no -> {{ default }}, checkout
 * </pre>
 * Matchers: {@code error.type}/{@code type}, {@code error.value}/{@code value}, {@code message} (the message and
 * every exception value), {@code logger}, {@code level}, {@code stack.function}/{@code function},
 * {@code stack.module}/{@code module}, {@code stack.abs_path}/{@code path}, {@code stack.package}/{@code package},
 * {@code app} (in-app frame: yes/no), {@code family} ({@code javascript}, {@code native}, {@code other},
 * {@code all}, comma-separated), {@code sdk}, {@code release}, {@code tags.NAME}; each negatable with {@code !};
 * values are globs ({@code *}, {@code ?}; paths, packages and releases also {@code **}, where {@code *} stops
 * at {@code /}), case-insensitive for value, message, level, path, package and release. Matchers on one kind
 * of data must all hold for one item of it (one exception, one frame); a rule holds when every kind has such
 * an item. The first rule that holds replaces the event's fingerprint (even one the SDK sent); entries may be
 * variables ({@code {{ default }}}, {@code {{ error.type }}} …), and {@code title="…"} sets the issue title.
 */
public final class FingerprintRules {

    private static final FingerprintRules NONE = new FingerprintRules(List.of());

    private final List<Rule> rules;

    private FingerprintRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** No rules. */
    public static FingerprintRules none() {
        return NONE;
    }

    /** The rule that matched, the fingerprint it assigns (variables unresolved) and its title, if any. */
    public record Match(String rule, List<String> fingerprint, String title) {
    }

    /** The first rule that holds for the event, or null; {@code stackTraceRules} decide which frames are in-app. */
    public Match match(ErrorEvent event, StackTraceRules stackTraceRules) {
        if (rules.isEmpty()) {
            return null;
        }
        EventValues values = new EventValues(event, stackTraceRules);
        for (Rule rule : rules) {
            if (rule.holds(values)) {
                return new Match(rule.text(), rule.fingerprint(), rule.title());
            }
        }
        return null;
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /**
     * Parses rules.
     *
     * @throws IllegalArgumentException naming the line and what is wrong with it
     */
    public static FingerprintRules parse(String text) {
        List<Rule> parsed = new ArrayList<>();
        String[] lines = text == null ? new String[0] : text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                parsed.add(Rule.parse(line));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("fingerprint rules, line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return new FingerprintRules(parsed);
    }

    /** Which items of an event a matcher looks at. */
    private enum Kind { TOPLEVEL, LOG, EXCEPTIONS, FRAMES, TAGS, SDK, FAMILY, RELEASE }

    private enum Field {
        TYPE(Kind.EXCEPTIONS), VALUE(Kind.EXCEPTIONS), MESSAGE(Kind.TOPLEVEL), LOGGER(Kind.LOG), LEVEL(Kind.LOG),
        FUNCTION(Kind.FRAMES), MODULE(Kind.FRAMES), PATH(Kind.FRAMES), PACKAGE(Kind.FRAMES), APP(Kind.FRAMES),
        FAMILY(Kind.FAMILY), SDK(Kind.SDK), RELEASE(Kind.RELEASE), TAG(Kind.TAGS);

        final Kind kind;

        Field(Kind kind) {
            this.kind = kind;
        }

        static Field of(String key) {
            return switch (key) {
                case "error.type", "type" -> TYPE;
                case "error.value", "value" -> VALUE;
                case "message" -> MESSAGE;
                case "logger" -> LOGGER;
                case "level" -> LEVEL;
                case "stack.function", "function" -> FUNCTION;
                case "stack.module", "module" -> MODULE;
                case "stack.abs_path", "path" -> PATH;
                case "stack.package", "package" -> PACKAGE;
                case "app" -> APP;
                case "family" -> FAMILY;
                case "sdk" -> SDK;
                case "release" -> RELEASE;
                default -> {
                    if (key.startsWith("tags.") && key.length() > 5) {
                        yield TAG;
                    }
                    throw new IllegalArgumentException("unknown matcher '" + key + "'");
                }
            };
        }
    }

    /** One item of an event: an exception, a frame, the log info … as a map of field values. */
    private record Item(Map<String, String> values) {
    }

    private record Matcher(Field field, String key, String pattern, boolean negated, Glob glob, Boolean flag) {

        static Matcher of(String key, String pattern, boolean negated) {
            Field field = Field.of(key);
            Boolean flag = null;
            Glob glob = null;
            switch (field) {
                case APP -> flag = parseBool(pattern);
                case FAMILY, SDK -> {
                }
                case PATH, PACKAGE, RELEASE -> glob = Glob.compile(pattern.replace('\\', '/'), true, true);
                case VALUE, MESSAGE, LEVEL -> glob = Glob.compile(pattern, false, true);
                default -> glob = Glob.compile(pattern, false, false);
            }
            return new Matcher(field, field == Field.TAG ? key : field.name(), pattern, negated, glob, flag);
        }

        boolean matches(Item item) {
            return negated != positive(item);
        }

        private boolean positive(Item item) {
            Map<String, String> v = item.values();
            return switch (field) {
                case MESSAGE -> globMatches(v.get("MESSAGE")) || globMatches(v.get("VALUE"));
                case PATH -> pathMatches(v.get("PATH")) || pathMatches(v.get("FILENAME"));
                case PACKAGE, RELEASE -> pathMatches(v.get(key));
                case APP -> v.get("APP") != null && flag == Boolean.parseBoolean(v.get("APP"));
                case FAMILY, SDK -> v.get(key) != null
                        && List.of(pattern.split(",")).stream().anyMatch(f -> f.equals("all") || f.equals(v.get(key)));
                default -> globMatches(v.get(key));
            };
        }

        private boolean globMatches(String value) {
            return value != null && glob.matches(value);
        }

        private boolean pathMatches(String value) {
            if (value == null) {
                return false;
            }
            String normalized = value.replace('\\', '/');
            return globMatches(normalized) || !normalized.startsWith("/") && globMatches("/" + normalized);
        }

        private static Boolean parseBool(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "yes", "true", "1", "on" -> true;
                case "no", "false", "0", "off" -> false;
                default -> throw new IllegalArgumentException("app: expects yes or no, not '" + s + "'");
            };
        }
    }

    private record Rule(String text, List<Matcher> matchers, List<String> fingerprint, String title) {

        boolean holds(EventValues event) {
            Map<Kind, List<Matcher>> byKind = new EnumMap<>(Kind.class);
            matchers.forEach(m -> byKind.computeIfAbsent(m.field().kind, k -> new ArrayList<>()).add(m));
            for (Map.Entry<Kind, List<Matcher>> e : byKind.entrySet()) {
                boolean any = false;
                for (Item item : event.items(e.getKey())) {
                    if (e.getValue().stream().allMatch(m -> m.matches(item))) {
                        any = true;
                        break;
                    }
                }
                if (!any) {
                    return false;
                }
            }
            return true;
        }

        static Rule parse(String line) {
            RuleLexer lexer = new RuleLexer(line);
            List<Matcher> matchers = new ArrayList<>();
            while (!lexer.atArrow()) {
                if (lexer.atEnd()) {
                    throw new IllegalArgumentException("expected '->' after the matchers");
                }
                boolean negated = lexer.consume('!');
                String key = lexer.key();
                lexer.expect(':');
                matchers.add(Matcher.of(key, lexer.value(false), negated));
            }
            if (matchers.isEmpty()) {
                throw new IllegalArgumentException("a rule needs at least one matcher before '->'");
            }
            lexer.arrow();
            List<String> fingerprint = new ArrayList<>();
            String title = null;
            while (!lexer.atEnd()) {
                String attribute = lexer.attributeKey();
                if (attribute != null) {
                    if (!attribute.equals("title")) {
                        throw new IllegalArgumentException("unknown attribute '" + attribute + "'");
                    }
                    title = lexer.value(true);
                } else {
                    String entry = lexer.value(true);
                    fingerprint.add(CustomFingerprint.isDefault(entry) ? "{{ default }}" : entry);
                }
                lexer.consume(',');
            }
            if (fingerprint.isEmpty()) {
                throw new IllegalArgumentException("a rule needs a fingerprint after '->'");
            }
            return new Rule(line, matchers, fingerprint, title);
        }
    }

    /** The items of one event, built once per event and kind. */
    private static final class EventValues {
        private final ErrorEvent event;
        private final StackTraceRules stackTraceRules;
        private final String platform;
        private final Map<Kind, List<Item>> cache = new EnumMap<>(Kind.class);

        EventValues(ErrorEvent event, StackTraceRules stackTraceRules) {
            this.event = event;
            this.stackTraceRules = stackTraceRules;
            this.platform = Platforms.normalize(event.platform());
        }

        List<Item> items(Kind kind) {
            return cache.computeIfAbsent(kind, this::build);
        }

        private List<Item> build(Kind kind) {
            return switch (kind) {
                case TOPLEVEL -> {
                    List<Item> out = new ArrayList<>();
                    String message = event.message() != null ? event.message() : event.paramMessage();
                    if (message != null && !message.isEmpty()) {
                        out.add(item("MESSAGE", message));
                    }
                    out.addAll(items(Kind.EXCEPTIONS));
                    yield out;
                }
                case LOG -> {
                    Map<String, String> v = new HashMap<>();
                    putIfPresent(v, "LOGGER", event.loggerName());
                    putIfPresent(v, "LEVEL", event.level());
                    yield v.isEmpty() ? List.of() : List.of(new Item(v));
                }
                case EXCEPTIONS -> event.exceptions().stream()
                        .map(e -> item("TYPE", e.type(), "VALUE", e.value())).toList();
                case FRAMES -> frames();
                case TAGS -> {
                    Map<String, String> v = new HashMap<>();
                    event.header().labels().forEach((k, val) -> putIfPresent(v, "tags." + k, val == null ? null : val.toString()));
                    yield List.of(new Item(v));
                }
                case SDK -> List.of(item("SDK", event.header().agent() == null ? null : event.header().agent().name()));
                case FAMILY -> List.of(item("FAMILY", Platforms.family(Platforms.normalize(event.platform()))));
                case RELEASE -> List.of(item("RELEASE", event.header().service().version()));
            };
        }

        private List<Item> frames() {
            List<Item> out = new ArrayList<>();
            for (ExceptionInfo e : event.exceptions()) {
                addFrames(out, e.frames());
            }
            addFrames(out, event.logStacktrace());
            return out;
        }

        private void addFrames(List<Item> out, List<StackFrame> frames) {
            List<FrameFlags> flags = stackTraceRules.apply(frames, platform);
            for (int i = 0; i < frames.size(); i++) {
                StackFrame f = frames.get(i);
                Map<String, String> v = new HashMap<>();
                putIfPresent(v, "FUNCTION", f.function() == null ? "<unknown>" : f.function());
                putIfPresent(v, "MODULE", f.module());
                putIfPresent(v, "PATH", f.absPath() != null ? f.absPath() : f.filename());
                putIfPresent(v, "FILENAME", f.filename());
                v.put("APP", Boolean.toString(flags.get(i).inApp()));
                out.add(new Item(v));
            }
        }

        private static Item item(String... keyValues) {
            Map<String, String> v = new HashMap<>();
            for (int i = 0; i < keyValues.length; i += 2) {
                putIfPresent(v, keyValues[i], keyValues[i + 1]);
            }
            return new Item(v);
        }

        private static void putIfPresent(Map<String, String> map, String key, String value) {
            if (value != null) {
                map.put(key, value);
            }
        }
    }
}
