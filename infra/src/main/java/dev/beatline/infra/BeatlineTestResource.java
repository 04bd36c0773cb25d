package dev.beatline.infra;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Quarkus test resource: points the application at the {@link SharedInfra} Kafka and at a fresh database of
 * its PostgreSQL, and injects the {@link SharedInfra} into test fields annotated {@link InjectInfra}.
 */
public class BeatlineTestResource implements QuarkusTestResourceLifecycleManager {

    private SharedInfra infra;

    @Override
    public Map<String, String> start() {
        infra = SharedInfra.get();
        Database database = infra.newDatabase();
        return Map.of(
                "kafka.bootstrap.servers", infra.kafkaBootstrapServers(),
                "quarkus.datasource.jdbc.url", database.jdbcUrl(),
                "quarkus.datasource.username", database.username(),
                "quarkus.datasource.password", database.password());
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(infra, new TestInjector.AnnotatedAndMatchesType(InjectInfra.class, SharedInfra.class));
    }

    /** Nothing to do: the shared infrastructure outlives each application and stops at JVM exit. */
    @Override
    public void stop() {
    }
}
