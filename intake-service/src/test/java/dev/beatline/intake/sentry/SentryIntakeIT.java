package dev.beatline.intake.sentry;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import dev.beatline.infra.BeatlineTestResource;
import dev.beatline.infra.InjectInfra;
import dev.beatline.infra.SharedInfra;
import dev.beatline.infra.TopicReader;
import dev.beatline.intake.IntakeTestSupport;
import dev.beatline.intake.IntakeTestSupport.SeededProject;
import dev.beatline.model.CanonicalEvent;
import dev.beatline.model.ErrorEvent;
import dev.beatline.model.EventCodec;
import dev.beatline.model.SessionEvent;
import dev.beatline.model.SharedFiles;
import dev.beatline.model.Topics;
import dev.beatline.model.TransactionEvent;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Sentry endpoints over HTTP against a real Kafka broker and a real PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(value = BeatlineTestResource.class, restrictToAnnotatedClass = false)
class SentryIntakeIT {

    static final String ENVELOPE = "application/x-sentry-envelope";

    @InjectInfra
    SharedInfra infra;
    @Inject
    AgroalDataSource dataSource;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    SeededProject project;
    String publicKey;

    @BeforeEach
    void seed() throws Exception {
        project = IntakeTestSupport.project(dataSource);
        publicKey = IntakeTestSupport.publicKey(dataSource, project.id());
    }

    private String auth() {
        return "Sentry sentry_version=7,sentry_client=test/1.0,sentry_key=" + publicKey;
    }

    private static byte[] fixture(String name) throws Exception {
        return Files.readAllBytes(SharedFiles.protocols("sentry/payloads/" + name));
    }

    private static byte[] event(String id, String message) {
        return utf8("{\"event_id\":\"" + id + "\"}\n{\"type\":\"event\"}\n{\"message\":\"" + message
                + "\",\"level\":\"warning\",\"platform\":\"java\"}\n");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<CanonicalEvent> eventsOfProject(String topic, int expected) {
        List<ConsumerRecord<String, byte[]>> records = TopicReader.read(bootstrap, topic, expected,
                Duration.ofSeconds(20), r -> r.key().startsWith(project.id() + "/"));
        return records.stream().map(r -> EventCodec.decode(topic, r.value())).toList();
    }

    @Test
    void envelopeIsAnsweredWithItsEventIdAndArrivesOnKafka() {
        String id = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
        given().header("X-Sentry-Auth", auth()).contentType(ENVELOPE).body(event(id, "hello sentry"))
                .post("/api/" + project.id() + "/envelope/")
                .then().statusCode(200).contentType("application/json").body("id", equalTo(id));
        ErrorEvent e = (ErrorEvent) eventsOfProject(Topics.ERRORS, 1).get(0);
        assertThat(e.header().eventId()).isEqualTo(id);
        assertThat(e.message()).isEqualTo("hello sentry");
        assertThat(e.level()).isEqualTo("warning");
        assertThat(e.header().service().name()).isEqualTo(project.slug());
    }

    @Test
    void anyPrefixAndExtraOrMissingSlashesAreRouted() {
        for (String path : List.of("/sub/path/api/" + project.id() + "/envelope/", "/api/" + project.id() + "/envelope",
                "/api//" + project.id() + "//envelope//")) {
            given().header("X-Sentry-Auth", auth()).contentType(ENVELOPE)
                    .body(event(SentryIds.random(), "p")).urlEncodingEnabled(false)
                    .post(path).then().statusCode(200).body("id", notNullValue());
        }
    }

    @Test
    void everyAuthSourceWorksAlone() {
        String basic = Base64.getEncoder().encodeToString((publicKey + ":").getBytes(StandardCharsets.UTF_8));
        String url = "/api/" + project.id() + "/envelope/";
        given().header("Authorization", "Sentry sentry_key=" + publicKey).contentType(ENVELOPE)
                .body(event(SentryIds.random(), "a")).post(url).then().statusCode(200);
        given().header("Authorization", "Basic " + basic).contentType(ENVELOPE)
                .body(event(SentryIds.random(), "a")).post(url).then().statusCode(200);
        given().contentType("text/plain").body(event(SentryIds.random(), "a"))
                .post(url + "?sentry_version=7&sentry_key=" + publicKey).then().statusCode(200);
        String withDsn = "{\"event_id\":\"" + SentryIds.random() + "\",\"dsn\":\"http://" + publicKey + "@localhost/"
                + project.id() + "\"}\n{\"type\":\"event\"}\n{\"message\":\"tunnel\"}\n";
        given().contentType(ENVELOPE).body(utf8(withDsn)).post(url).then().statusCode(200).body("id", notNullValue());
    }

    @Test
    void missingMultipleOrUnknownCredentialsAre401WithSentrysBody() {
        String url = "/api/" + project.id() + "/envelope/";
        given().contentType(ENVELOPE).body(event(SentryIds.random(), "a")).post(url)
                .then().statusCode(401).body("detail", equalTo("missing authorization information"));
        given().header("X-Sentry-Auth", auth()).contentType(ENVELOPE).body(event(SentryIds.random(), "a"))
                .post(url + "?sentry_key=" + publicKey)
                .then().statusCode(401).body("detail", equalTo("multiple authorization payloads detected"));
        given().header("X-Sentry-Auth", "Sentry sentry_key=0000000000000000000000000000dead").contentType(ENVELOPE)
                .body(event(SentryIds.random(), "a")).post(url)
                .then().statusCode(401).header("X-Sentry-Error", notNullValue());
    }

    @Test
    void keyOfAnotherProjectIs403() throws Exception {
        SeededProject other = IntakeTestSupport.project(dataSource);
        given().header("X-Sentry-Auth", auth()).contentType(ENVELOPE).body(event(SentryIds.random(), "a"))
                .post("/api/" + other.id() + "/envelope/")
                .then().statusCode(403).body("detail", equalTo(SentryIntakeResource.WRONG_PROJECT));
    }

    @Test
    void gzipDeflateAndBrotliBodies() throws Exception {
        String url = "/api/" + project.id() + "/envelope/";
        byte[] plain = event(SentryIds.random(), "compressed");
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(plain);
        }
        given().header("X-Sentry-Auth", auth()).header("Content-Encoding", "gzip").contentType(ENVELOPE)
                .body(gz.toByteArray()).post(url).then().statusCode(200);
        ByteArrayOutputStream zl = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new DeflaterOutputStream(zl)) {
            out.write(event(SentryIds.random(), "compressed"));
        }
        given().header("X-Sentry-Auth", auth()).header("Content-Encoding", "deflate").contentType(ENVELOPE)
                .body(zl.toByteArray()).post(url).then().statusCode(200);
        given().header("X-Sentry-Auth", auth()).header("Content-Encoding", "br").contentType(ENVELOPE)
                .body(BrotliTestEncoding.uncompressed(event(SentryIds.random(), "compressed")))
                .post(url).then().statusCode(200);
        assertThat(eventsOfProject(Topics.ERRORS, 3)).hasSize(3)
                .allSatisfy(e -> assertThat(((ErrorEvent) e).message()).isEqualTo("compressed"));
        given().header("X-Sentry-Auth", auth()).header("Content-Encoding", "gzip").contentType(ENVELOPE)
                .body(utf8("not gzip")).post(url).then().statusCode(400).body("detail", equalTo("failed to read request body"));
    }

    @Test
    void malformedEnvelopeIs400AndOversizeItemIs413() {
        String url = "/api/" + project.id() + "/envelope/";
        given().header("X-Sentry-Auth", auth()).contentType(ENVELOPE)
                .body(utf8("{}\n{\"type\":\"event\",\"length\":50}\n{}\n")).post(url)
                .then().statusCode(400).body("detail", equalTo("invalid event envelope"))
                .body("causes[0]", containsString("shorter than its length"));
        given().header("X-Sentry-Auth", auth()).contentType(ENVELOPE).body(new byte[0])
                .post(url).then().statusCode(400).body("detail", equalTo("empty request body"));
        String big = "{}\n{\"type\":\"event\"}\n{\"message\":\"" + "x".repeat(1_100_000) + "\"}\n";
        given().header("X-Sentry-Auth", auth()).contentType(ENVELOPE).body(utf8(big)).post(url)
                .then().statusCode(413).body("detail", equalTo("envelope exceeded size limits for type 'event' "
                        + "(https://develop.sentry.dev/sdk/envelopes/#size-limits)"));
    }

    @Test
    void envelopeWithoutEventAnswersEmptyObjectAndSessionsArrive() throws Exception {
        given().header("X-Sentry-Auth", auth()).contentType(ENVELOPE)
                .body(fixture("sentry-java__sentry-android-core__envelopes_session.txt"))
                .post("/api/" + project.id() + "/envelope/")
                .then().statusCode(200).body("$", anEmptyMap());
        SessionEvent s = (SessionEvent) eventsOfProject(Topics.SESSIONS, 1).get(0);
        assertThat(s.header().service().version()).isEqualTo("io.sentry@1.0+123");
        given().header("X-Sentry-Auth", auth()).contentType(ENVELOPE).body(utf8("{}\n{\"type\":\"newfangled\"}\n{}\n"))
                .post("/api/" + project.id() + "/envelope/").then().statusCode(200).body("$", anEmptyMap());
    }

    @Test
    void storeTakesLegacyJsonAndBase64Zlib() throws Exception {
        String url = "/api/" + project.id() + "/store/";
        given().header("X-Sentry-Auth", auth()).contentType("application/json")
                .body(fixture("relay__relay-server_tests_fixtures_payloads_legacy_js_exception.json"))
                .post(url).then().statusCode(200).body("id", equalTo("2c6cd1fbe9eb40a698d8bfa9eca34828"));
        ByteArrayOutputStream zl = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new DeflaterOutputStream(zl)) {
            out.write(fixture("relay__relay-server_tests_fixtures_payloads_legacy_js_message.json"));
        }
        given().header("X-Sentry-Auth", auth()).body(Base64.getEncoder().encodeToString(zl.toByteArray()))
                .post(url).then().statusCode(200).body("id", equalTo("b2c595e016164e5baa63ed087e44978b"));
        given().header("X-Sentry-Auth", auth()).contentType("application/json").body("{not json")
                .post(url).then().statusCode(400).body("detail", equalTo("invalid JSON data"));
        given().queryParam("sentry_key", publicKey)
                .queryParam("sentry_data", "{\"message\":\"pixel\",\"event_id\":\"" + SentryIds.random() + "\"}")
                .get(url).then().statusCode(200).contentType("image/gif");
        List<CanonicalEvent> events = eventsOfProject(Topics.ERRORS, 3);
        assertThat(events).extracting(e -> ((ErrorEvent) e).message()).contains("captureMessage", "pixel");
    }

    @Test
    void storedTransactionGoesToTheTransactionTopic() throws Exception {
        given().header("X-Sentry-Auth", auth()).contentType(ENVELOPE)
                .body(fixture("sentry-java__sentry__envelope-transaction.txt"))
                .post("/api/" + project.id() + "/envelope/")
                .then().statusCode(200).body("id", equalTo("3367f5196c494acaae85bbbd535379ac"));
        TransactionEvent t = (TransactionEvent) eventsOfProject(Topics.TRANSACTIONS, 1).get(0);
        assertThat(t.name()).isEqualTo("a-transaction");
        assertThat(eventsOfProject(Topics.SPANS, 1)).hasSize(1);
    }

    @Test
    void corsPreflightAllowsSentryHeaders() {
        given().header("Origin", "https://shop.example").header("Access-Control-Request-Method", "POST")
                .options("/api/" + project.id() + "/envelope/")
                .then().statusCode(200).header("Access-Control-Allow-Headers", containsString("x-sentry-auth"))
                .header("Access-Control-Allow-Origin", "https://shop.example");
    }

    @Test
    void brokerDownGives503WithRetryAfter() {
        String url = "/api/" + project.id() + "/envelope/";
        infra.stopKafka();
        try {
            given().header("X-Sentry-Auth", auth()).contentType(ENVELOPE).body(event(SentryIds.random(), "down"))
                    .post(url).then().statusCode(503).header("Retry-After", notNullValue())
                    .body("detail", equalTo("failed to queue envelope"));
        } finally {
            infra.restartKafka();
        }
        given().header("X-Sentry-Auth", auth()).contentType(ENVELOPE).body(event(SentryIds.random(), "up"))
                .post(url).then().statusCode(200);
    }

    @Test
    void knownPublicKeysKeepIngestingWhilePostgresIsDown() {
        String url = "/api/" + project.id() + "/envelope/";
        given().header("X-Sentry-Auth", auth()).contentType(ENVELOPE).body(event(SentryIds.random(), "before"))
                .post(url).then().statusCode(200);
        infra.stopPostgres();
        try {
            given().header("X-Sentry-Auth", auth()).contentType(ENVELOPE).body(event(SentryIds.random(), "during"))
                    .post(url).then().statusCode(200);
            given().header("X-Sentry-Auth", "Sentry sentry_key=never-seen-" + System.nanoTime()).contentType(ENVELOPE)
                    .body(event(SentryIds.random(), "x")).post(url).then().statusCode(503)
                    .header("Retry-After", notNullValue());
        } finally {
            infra.restartPostgres();
        }
    }

    @Test
    void metricsCountSentryRequests() {
        given().header("X-Sentry-Auth", auth()).contentType(ENVELOPE).body(event(SentryIds.random(), "m"))
                .post("/api/" + project.id() + "/envelope/").then().statusCode(200);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("beatline_intake_requests_total{project=\"" + project.slug()
                + "\",protocol=\"sentry\",reason=\"ok\",status=\"200\"}");
        assertThat(List.of(metrics.split("\n"))).anyMatch(l -> l.startsWith("beatline_intake_events_accepted_total")
                && l.contains("protocol=\"sentry\"") && l.contains(project.slug()));
    }
}
