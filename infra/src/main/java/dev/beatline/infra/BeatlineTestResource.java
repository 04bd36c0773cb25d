package dev.beatline.infra;

import dev.beatline.model.Topics;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Quarkus test resource: points the application at the {@link SharedInfra} Kafka and at a fresh database of
 * its PostgreSQL, and injects the {@link SharedInfra} into test fields annotated {@link InjectInfra}.
 */
public class BeatlineTestResource implements QuarkusTestResourceLifecycleManager {

    /** Partitions of each Beatline topic in tests: enough to exercise several, few enough to start fast. */
    public static final int TEST_PARTITIONS = 4;

    private SharedInfra infra;

    @Override
    public Map<String, String> start() {
        infra = SharedInfra.get();
        infra.ensureTopics(TEST_PARTITIONS, Topics.ALL.toArray(String[]::new));
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
