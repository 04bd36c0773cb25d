package dev.beatline.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beatline.infra.BeatlineTestResource;
import dev.beatline.infra.Database;
import dev.beatline.infra.SharedInfra;
import dev.beatline.model.EventCodec;
import dev.beatline.model.Topics;
import dev.beatline.model.keys.SecretHashing;
import dev.beatline.model.keys.Dsn;
import dev.beatline.model.keys.ProjectKeys;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The whole pipeline as the launcher starts it: the three packaged services as processes, on the shared real
 * Kafka and a fresh real PostgreSQL database, with a fresh consumer group and bootstrap tokens. One per test
 * JVM ({@link #shared()}): two pipelines reading the same topics would each count the other's project 1.
 */
final class Pipeline implements AutoCloseable {

    private static Pipeline shared;

    /** The JVM's pipeline, started on first use and stopped when the JVM exits. */
    static synchronized Pipeline shared() throws Exception {
        if (shared == null) {
            shared = new Pipeline();
            Pipeline p = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    p.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        return shared;
    }

    static final HttpClient HTTP = HttpClient.newHttpClient();

    final String ingestToken = SecretHashing.newSecret();
    final String adminToken = SecretHashing.newSecret();
    final ServiceProcess query;
    final ServiceProcess intake;
    ServiceProcess processor;
    private final Map<String, String> env;
    private final Database db;

    private Pipeline() throws Exception {
        SharedInfra infra = SharedInfra.get();
        infra.ensureTopics(BeatlineTestResource.TEST_PARTITIONS, Topics.ALL.toArray(String[]::new));
        db = infra.newDatabase();
        env = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", infra.kafkaBootstrapServers(),
                "QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl(),
                "QUARKUS_DATASOURCE_USERNAME", db.username(),
                "QUARKUS_DATASOURCE_PASSWORD", db.password(),
                "BEATLINE_BOOTSTRAP_TOKEN", ingestToken,
                "BEATLINE_ADMIN_TOKEN", adminToken,
                // each pipeline reads the shared topics from the start with its own group
                "BEATLINE_PROCESSOR_CONSUMER_GROUP", "e2e-" + db.name());
        query = new ServiceProcess("query", env).start(); // migrates the schema and creates the bootstrap keys
        intake = new ServiceProcess("intake", env).start();
        processor = new ServiceProcess("processor", env).start();
    }

    /** Starts a new processor process (after {@link ServiceProcess#stop()} of the old one). */
    void restartProcessor() throws Exception {
        processor = new ServiceProcess("processor", env).start();
    }

    HttpResponse<String> sendElastic(byte[] ndjson) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(intake.baseUrl() + "/intake/v2/events?verbose"))
                .header("Authorization", "Bearer " + ingestToken)
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofByteArray(ndjson)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The Sentry DSN of the bootstrap ingest key, as an SDK is configured with it. */
    Dsn sentryDsn() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", db.username());
        props.setProperty("password", db.password());
        try (Connection c = new org.postgresql.Driver().connect(db.jdbcUrl(), props)) {
            return ProjectKeys.dsnOfProject(c, 1, intake.baseUrl()).orElseThrow();
        }
    }

    /** The Sentry DSN of a key created through the admin API, pointing at this pipeline's intake. */
    Dsn sentryDsn(String publicKey, long projectId) {
        return Dsn.forKey(intake.baseUrl(), publicKey, projectId);
    }

    /** A legacy Sentry store request, authenticated as old SDKs do it. */
    HttpResponse<String> sendSentryStore(byte[] json) throws Exception {
        Dsn dsn = sentryDsn();
        return HTTP.send(HttpRequest.newBuilder(URI.create(intake.baseUrl() + "/api/" + dsn.projectId() + "/store/"))
                .header("X-Sentry-Auth", "Sentry sentry_version=7, sentry_client=e2e/1.0, sentry_key=" + dsn.publicKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A POST without body to the query API with the bootstrap admin key. */
    JsonNode post(String path) throws IOException, InterruptedException {
        return send("POST", path, null);
    }

    /** A request with a JSON body (or none) to the query API with the bootstrap admin key; 2xx expected. */
    JsonNode send(String method, String path, Object body) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher content = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(EventCodec.mapper().writeValueAsBytes(body));
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(query.baseUrl() + path))
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10)).method(method, content).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " → " + r.statusCode() + ": " + r.body());
        }
        return EventCodec.mapper().readTree(r.body());
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(query.baseUrl() + path))
                .header("Authorization", "Bearer " + adminToken).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " → " + r.statusCode() + ": " + r.body());
        }
        return EventCodec.mapper().readTree(r.body());
    }

    @Override
    public void close() throws InterruptedException {
        for (ServiceProcess p : new ServiceProcess[] {processor, intake, query}) {
            if (p != null) {
                p.stop();
            }
        }
    }
}
