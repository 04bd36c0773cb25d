package dev.beatline.infra;

import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Owner of the JVM-wide Kafka and PostgreSQL behind {@link SharedInfra}.
 *
 * <p>Quarkus loads test classes and their dependencies in its own class loaders (one per application,
 * closed when that application stops), so static state there is neither JVM-wide nor safe to use from a
 * shutdown hook. The state therefore lives in the copy of this class loaded by the system class loader,
 * and is handed to other copies as a map of JDK types only: {@link String}s and {@link Runnable}s
 * under the keys below. Runnables are absent for external infrastructure.
 */
final class SharedInfraState {

    static final String KAFKA_BOOTSTRAP = "kafka.bootstrap";
    static final String KAFKA_STOP = "kafka.stop";
    static final String KAFKA_RESTART = "kafka.restart";
    static final String ADMIN_JDBC_URL = "postgres.admin-jdbc-url";
    static final String DB_USERNAME = "postgres.username";
    static final String DB_PASSWORD = "postgres.password";
    static final String POSTGRES_STOP = "postgres.stop";
    static final String POSTGRES_RESTART = "postgres.restart";

    static final String ENV_KAFKA_BOOTSTRAP = "BEATLINE_TEST_KAFKA_BOOTSTRAP";
    static final String ENV_JDBC_URL = "BEATLINE_TEST_JDBC_URL";
    static final String ENV_DB_USER = "BEATLINE_TEST_DB_USER";
    static final String ENV_DB_PASSWORD = "BEATLINE_TEST_DB_PASSWORD";

    private static Map<String, Object> state;

    private SharedInfraState() {
    }

    /** The state, from the system class loader's copy of this class when it can see it. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> fromSystemClassLoader() {
        Class<?> owner;
        try {
            owner = Class.forName(SharedInfraState.class.getName(), true, ClassLoader.getSystemClassLoader());
        } catch (ClassNotFoundException e) {
            owner = SharedInfraState.class;
        }
        if (owner == SharedInfraState.class) {
            return get();
        }
        try {
            Method get = owner.getDeclaredMethod("get");
            get.setAccessible(true);
            return (Map<String, Object>) get.invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot reach the shared infrastructure", e);
        }
    }

    /** Starts the infrastructure on first use (external from env vars, else embedded); stopped at JVM exit. */
    static synchronized Map<String, Object> get() {
        if (state == null) {
            String externalKafka = System.getenv(ENV_KAFKA_BOOTSTRAP);
            String externalJdbcUrl = System.getenv(ENV_JDBC_URL);
            // PostgreSQL starts in the background while the broker starts here
            CompletableFuture<PostgresServer> embeddedPostgres = externalJdbcUrl != null ? null
                    : CompletableFuture.supplyAsync(() -> stopAtExit(PostgresServer.start(null, 0)));
            Map<String, Object> starting = new HashMap<>();
            if (externalKafka == null) {
                KafkaBroker broker = stopAtExit(KafkaBroker.start(null, 0));
                starting.put(KAFKA_BOOTSTRAP, broker.bootstrapServers());
                starting.put(KAFKA_STOP, (Runnable) broker::stop);
                starting.put(KAFKA_RESTART, (Runnable) broker::restart);
            } else {
                starting.put(KAFKA_BOOTSTRAP, externalKafka);
            }
            if (embeddedPostgres != null) {
                PostgresServer postgres = embeddedPostgres.join();
                starting.put(ADMIN_JDBC_URL, postgres.jdbcUrl("postgres"));
                starting.put(DB_USERNAME, postgres.username());
                starting.put(DB_PASSWORD, postgres.password());
                starting.put(POSTGRES_STOP, (Runnable) postgres::stop);
                starting.put(POSTGRES_RESTART, (Runnable) postgres::restart);
            } else {
                starting.put(ADMIN_JDBC_URL, externalJdbcUrl);
                starting.put(DB_USERNAME, requiredEnv(ENV_DB_USER));
                starting.put(DB_PASSWORD, requiredEnv(ENV_DB_PASSWORD));
            }
            state = Map.copyOf(starting);
        }
        return state;
    }

    private static <T extends AutoCloseable> T stopAtExit(T server) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                System.err.println("cannot stop " + server + ": " + e);
            }
        }, "beatline-infra-stop"));
        return server;
    }

    private static String requiredEnv(String name) {
        String value = System.getenv(name);
        if (value == null) {
            throw new IllegalStateException(ENV_JDBC_URL + " is set, so " + name + " must be set too");
        }
        return value;
    }
}
