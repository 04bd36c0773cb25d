package dev.beatline.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresServerTest {

    @TempDir
    Path dataDir;

    @Test
    void dataSurvivesStopAndRestartOnTheSamePort() throws SQLException {
        try (PostgresServer server = PostgresServer.start(dataDir, 0)) {
            server.createDatabase("roundtrip");
            server.createDatabase("roundtrip"); // idempotent
            String url = server.jdbcUrl("roundtrip");
            try (Connection connection = connect(server, url); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE beat (id int PRIMARY KEY, name text)");
                statement.execute("INSERT INTO beat VALUES (1, 'first')");
            }

            server.stop();
            assertThat(server.isRunning()).isFalse();
            assertThatThrownBy(() -> connect(server, url).close()).isInstanceOf(SQLException.class);
            server.restart();

            assertThat(server.jdbcUrl("roundtrip")).isEqualTo(url);
            try (Connection connection = connect(server, url); Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT name FROM beat WHERE id = 1")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("first");
            }
        }
    }

    @Test
    void temporaryDataDirectoryIsDeletedOnClose() {
        PostgresServer server = PostgresServer.start(null, 0);
        server.createDatabase("scratch");
        server.close();
        assertThat(server.isRunning()).isFalse();
    }

    private static Connection connect(PostgresServer server, String url) throws SQLException {
        return DriverManager.getConnection(url, server.username(), server.password());
    }
}
