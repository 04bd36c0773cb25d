package dev.beatline.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beatline.model.SharedFiles;
import io.sentry.Sentry;
import io.sentry.SentryLevel;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Sentry events through the whole pipeline become issues with Sentry's own fingerprints. */
class SentryPipelineIT {

    private static final Pattern HASH = Pattern.compile("(?m)^  hash: \"([0-9a-f]{32})\"");

    static Pipeline pipeline;

    @BeforeAll
    static void start() throws Exception {
        pipeline = Pipeline.shared();
    }

    /**
     * The grouping fixtures, but {@code contributing_system_and_app_frames.json}: it carries per-event stack-trace
     * rules ({@code _grouping.enhancements}) that only Sentry's test harness reads, not an SDK or the intake.
     */
    static Stream<Path> groupingFixtures() throws Exception {
        Path dir = SharedFiles.protocols("sentry/grouping-fixtures");
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".json"))
                    .filter(p -> !p.getFileName().toString().startsWith("contributing_system_and_app_frames"))
                    .sorted().toList().stream();
        }
    }

    /** The hash Sentry files the event under: the first variant with a hash (app before system). */
    private static String primaryHash(Path fixture) throws Exception {
        String name = fixture.getFileName().toString().replace(".json", ".pysnap").replace('-', '_');
        Matcher m = HASH.matcher(Files.readString(fixture.resolveSibling(name)));
        assertThat(m.find()).as("a hash in the snapshot of %s", fixture).isTrue();
        return m.group(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("groupingFixtures")
    void groupingFixtureSentToTheStoreEndpointLandsInAnIssueWithSentrysHash(Path fixture) throws Exception {
        String expected = primaryHash(fixture);
        HttpResponse<String> r = pipeline.sendSentryStore(Files.readAllBytes(fixture));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> issueWithFingerprint(expected) != null);
    }

    @Test
    void realSentrySdkExceptionAndMessageBecomeIssues() throws Exception {
        String marker = UUID.randomUUID().toString().substring(0, 8);
        String dsn = pipeline.sentryDsn().toString();
        Sentry.init(o -> {
            o.setDsn(dsn);
            o.setRelease("shop@2.0.0");
            o.setEnvironment("staging");
            o.setTracesSampleRate(1.0);
        });
        try {
            try {
                new SentryPipelineIT().failDeep(marker);
            } catch (IllegalStateException e) {
                Sentry.captureException(e);
            }
            Sentry.captureMessage("cache miss storm " + marker, SentryLevel.WARNING);
            Sentry.flush(10_000);
        } finally {
            Sentry.close();
        }
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> issueTitled("IllegalStateException: checkout failed " + marker) != null
                        && issueTitled("cache miss storm " + marker) != null);
        // Sentry titles an issue with the type as the SDK sends it (without the package), as sentry.io does
        JsonNode exception = issueTitled("IllegalStateException: checkout failed " + marker);
        assertThat(exception.path("lastRelease").asText()).isEqualTo("shop@2.0.0");
        assertThat(exception.path("timesSeen").asLong()).isEqualTo(1);
        assertThat(issueTitled("cache miss storm " + marker).path("level").asText()).isEqualTo("warning");
    }

    @Test
    void fingerprintRulesSetThroughTheApiGroupARealSdksEvents() throws Exception {
        String slug = "rules-" + UUID.randomUUID().toString().substring(0, 8);
        long projectId = pipeline.send("POST", "/api/v1/projects", Map.of("slug", slug)).path("id").asLong();
        String publicKey = pipeline.send("POST", "/api/v1/projects/" + slug + "/keys",
                Map.of("name", "sdk", "scopes", List.of("ingest"))).path("publicKey").asText();
        String dsn = pipeline.sentryDsn(publicKey, projectId).toString();
        pipeline.send("PUT", "/api/v1/projects/" + slug + "/grouping-rules", Map.of("fingerprintRules",
                "error.type:*IllegalStateException message:\"checkout failed*\" -> checkout-failures title=\"Checkout failing\""));
        Sentry.init(o -> o.setDsn(dsn));
        try {
            for (String marker : List.of("first", "second")) { // different messages and stack traces, one issue
                try {
                    if (marker.equals("first")) {
                        failDeep(marker);
                    }
                    throw new IllegalStateException("checkout failed " + marker);
                } catch (IllegalStateException e) {
                    Sentry.captureException(e);
                }
            }
            Sentry.flush(10_000);
        } finally {
            Sentry.close();
        }
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> pipeline.get("/api/v1/projects/" + slug + "/issues").path("issues").path(0)
                        .path("timesSeen").asLong() == 2);
        JsonNode issues = pipeline.get("/api/v1/projects/" + slug + "/issues").path("issues");
        assertThat(issues).hasSize(1);
        assertThat(issues.path(0).path("title").asText()).isEqualTo("Checkout failing");
    }

    private void failDeep(String marker) {
        try {
            Integer.parseInt("not-a-number-" + marker);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("checkout failed " + marker, e);
        }
    }

    private static JsonNode issueWithFingerprint(String fingerprint) throws Exception {
        for (JsonNode i : pipeline.get("/api/v1/projects/default/issues?limit=500").path("issues")) {
            if (i.path("fingerprint").asText().equals(fingerprint)) {
                return i;
            }
        }
        return null;
    }

    private static JsonNode issueTitled(String title) throws Exception {
        for (JsonNode i : pipeline.get("/api/v1/projects/default/issues?limit=500").path("issues")) {
            if (i.path("title").asText().equals(title)) {
                return i;
            }
        }
        return null;
    }
}
