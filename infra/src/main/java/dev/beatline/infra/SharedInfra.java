package dev.beatline.infra;

import java.util.Map;
import java.util.UUID;

/**
 * The Kafka broker and PostgreSQL server shared by all integration tests of a JVM: started lazily by the
 * first {@link #get()}, stopped by a shutdown hook.
 *
 * <p>Environment variables select external servers instead of the embedded ones:
 * <ul>
 * <li>{@code BEATLINE_TEST_KAFKA_BOOTSTRAP}: use this broker; nothing is created on it.</li>
 * <li>{@code BEATLINE_TEST_JDBC_URL} (an existing database, e.g. {@code jdbc:postgresql://host:5432/postgres}),
 * {@code BEATLINE_TEST_DB_USER}, {@code BEATLINE_TEST_DB_PASSWORD}: a user allowed to create databases there.</li>
 * </ul>
 * Stopping and restarting is only possible for the embedded servers.
 */
public final class SharedInfra {

    private static SharedInfra instance;

    private final Map<String, Object> state;

    private SharedInfra(Map<String, Object> state) {
        this.state = state;
    }

    /** The JVM-wide infrastructure, started on first call. */
    public static synchronized SharedInfra get() {
        if (instance == null) {
            instance = new SharedInfra(SharedInfraState.fromSystemClassLoader());
        }
        return instance;
    }

    /** Kafka bootstrap servers ({@code host:port}). */
    public String kafkaBootstrapServers() {
        return (String) state.get(SharedInfraState.KAFKA_BOOTSTRAP);
    }

    /**
     * Creates the topics that do not exist yet, so no test depends on auto-creation (whose first sends can
     * outlast a short ack timeout while the new partitions elect leaders).
     */
    public void ensureTopics(int partitions, String... names) {
        KafkaBroker.ensureTopics(kafkaBootstrapServers(), partitions, names);
    }

    /** A new, empty database named {@code beatline_test_<random>}. */
    public Database newDatabase() {
        String name = "beatline_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String adminUrl = (String) state.get(SharedInfraState.ADMIN_JDBC_URL);
        String username = (String) state.get(SharedInfraState.DB_USERNAME);
        String password = (String) state.get(SharedInfraState.DB_PASSWORD);
        Databases.create(adminUrl, username, password, name);
        return new Database(name, Databases.withDatabase(adminUrl, name), username, password);
    }

    /** Whether Kafka is embedded (so {@link #stopKafka()}/{@link #restartKafka()} work). */
    public boolean isKafkaEmbedded() {
        return state.containsKey(SharedInfraState.KAFKA_STOP);
    }

    /** Whether PostgreSQL is embedded (so {@link #stopPostgres()}/{@link #restartPostgres()} work). */
    public boolean isPostgresEmbedded() {
        return state.containsKey(SharedInfraState.POSTGRES_STOP);
    }

    /** Shuts the embedded broker down cleanly; its port refuses connections until {@link #restartKafka()}. */
    public void stopKafka() {
        run(SharedInfraState.KAFKA_STOP);
    }

    /** Starts the embedded broker again on the same port with the same data. */
    public void restartKafka() {
        run(SharedInfraState.KAFKA_RESTART);
    }

    /** Stops the embedded PostgreSQL; its port refuses connections until {@link #restartPostgres()}. */
    public void stopPostgres() {
        run(SharedInfraState.POSTGRES_STOP);
    }

    /** Starts the embedded PostgreSQL again on the same port with the same data. */
    public void restartPostgres() {
        run(SharedInfraState.POSTGRES_RESTART);
    }

    private void run(String action) {
        Runnable runnable = (Runnable) state.get(action);
        if (runnable == null) {
            throw new UnsupportedOperationException(action + " needs embedded infrastructure, not an external server");
        }
        runnable.run();
    }
}
