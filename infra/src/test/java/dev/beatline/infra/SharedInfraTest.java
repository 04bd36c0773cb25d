package dev.beatline.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SharedInfraTest {

    @Test
    void testResourceGivesAFreshDatabaseOnTheSharedServersAndInjectsTheInfra() throws Exception {
        BeatlineTestResource resource = new BeatlineTestResource();
        Map<String, String> config = resource.start();
        SharedInfra infra = SharedInfra.get();

        assertThat(config).containsEntry("kafka.bootstrap.servers", infra.kafkaBootstrapServers())
                .containsKeys("quarkus.datasource.jdbc.url", "quarkus.datasource.username",
                        "quarkus.datasource.password");
        String jdbcUrl = config.get("quarkus.datasource.jdbc.url");
        assertThat(jdbcUrl).matches("jdbc:postgresql://127\\.0\\.0\\.1:\\d+/beatline_test_[0-9a-f]{12}");
        assertThat(infra.newDatabase().name()).isNotEqualTo(infra.newDatabase().name());

        class TestWithField {
            @InjectInfra
            SharedInfra injected;
        }
        TestWithField test = new TestWithField();
        resource.inject((value, predicate) -> {
            for (var field : TestWithField.class.getDeclaredFields()) {
                if (predicate.test(field)) {
                    try {
                        field.set(test, value);
                    } catch (IllegalAccessException e) {
                        throw new AssertionError(e);
                    }
                }
            }
        });
        assertThat(test.injected).isSameAs(infra);

        try (Connection connection = DriverManager.getConnection(jdbcUrl, config.get("quarkus.datasource.username"),
                config.get("quarkus.datasource.password")); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT current_database()")) {
            assertThat(rows.next()).isTrue();
            assertThat(jdbcUrl).endsWith("/" + rows.getString(1));
        }
    }

    @Test
    void embeddedServersCanBeStoppedAndRestarted() throws Exception {
        SharedInfra infra = SharedInfra.get();
        assertThat(infra.isKafkaEmbedded()).isTrue();
        assertThat(infra.isPostgresEmbedded()).isTrue();
        Database database = infra.newDatabase();

        infra.stopKafka();
        infra.stopPostgres();
        assertThat(accepts(infra.kafkaBootstrapServers())).isFalse();
        assertThatThrownBy(() -> connect(database).close()).isInstanceOf(SQLException.class);

        infra.restartKafka();
        infra.restartPostgres();
        assertThat(accepts(infra.kafkaBootstrapServers())).isTrue();
        connect(database).close();
    }

    @Test
    void jdbcUrlsKeepHostPortAndParameters() {
        assertThat(Databases.withDatabase("jdbc:postgresql://db:5432/postgres?sslmode=require", "other"))
                .isEqualTo("jdbc:postgresql://db:5432/other?sslmode=require");
        assertThat(Databases.withDatabase("jdbc:postgresql://db:5432", "other")).isEqualTo("jdbc:postgresql://db:5432/other");
    }

    private static Connection connect(Database database) throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
    }

    private static boolean accepts(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))), 1000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
