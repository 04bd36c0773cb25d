package dev.beatline.grouping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beatline.model.SharedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every grouping fixture copied from Sentry ({@code shared/protocols/sentry/grouping-fixtures}) must produce
 * exactly the hash of every variant its {@code .pysnap} snapshot records, null hashes included.
 */
class SentryGroupingFixturesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VARIANT = Pattern.compile("(?m)^([a-z-]+):\\n  hash: (null|\"([0-9a-f]{32})\")");

    static Stream<Path> fixtures() throws IOException {
        Path dir = SharedFiles.protocols("sentry/grouping-fixtures");
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    @Test
    void everyFixtureHasASnapshot() throws IOException {
        List<Path> inputs = fixtures().toList();
        assertThat(inputs).hasSizeGreaterThanOrEqualTo(6);
        for (Path input : inputs) {
            assertThat(snapshotOf(input)).as("snapshot of %s", input).exists();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void reproducesSentrysHashes(Path input) throws IOException {
        JsonNode event = JSON.readTree(input.toFile());
        Map<String, String> expected = expectedHashes(snapshotOf(input));
        assertThat(expected).isNotEmpty();

        Grouping grouping = fingerprinterFor(event).group(SentryFixtureEvents.toErrorEvent(event));

        Map<String, String> actual = new LinkedHashMap<>();
        for (String variant : expected.keySet()) {
            String hash = grouping.hash(variant);
            actual.put(variant, hash == null ? "null" : hash);
        }
        assertThat(actual).as(() -> describe(grouping)).isEqualTo(expected);
        String primary = expected.values().stream().filter(h -> !h.equals("null")).findFirst().orElseThrow();
        assertThat(fingerprinterFor(event).fingerprint(SentryFixtureEvents.toErrorEvent(event)).fingerprint())
                .isEqualTo(primary);
    }

    /** The fixtures' test-only {@code _grouping.enhancements} are project stack-trace rules. */
    private static Fingerprinter fingerprinterFor(JsonNode event) {
        String projectRules = event.path("_grouping").path("enhancements").asText("");
        return new Fingerprinter(StackTraceRules.builtIn().then(StackTraceRules.parse(projectRules)));
    }

    private static Map<String, String> expectedHashes(Path snapshot) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = VARIANT.matcher(Files.readString(snapshot));
        while (m.find()) {
            out.put(m.group(1), m.group(3) == null ? "null" : m.group(3));
        }
        return out;
    }

    private static Path snapshotOf(Path input) {
        String name = input.getFileName().toString().replace(".json", "").replace('-', '_');
        return input.resolveSibling(name + ".pysnap");
    }

    private static String describe(Grouping g) {
        StringBuilder sb = new StringBuilder();
        for (GroupingVariant v : g.variants()) {
            sb.append(v.name()).append(": ").append(v.hash()).append('\n').append(v.component().render());
        }
        return sb.toString();
    }
}
