package dev.beatline.infra;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.postgresql.Driver;

/** Creating PostgreSQL databases and pointing JDBC URLs at them. */
final class Databases {

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Pattern JDBC_URL = Pattern.compile("(jdbc:postgresql://[^/?]*)(/[^?]*)?(\\?.*)?");
    private static final String DUPLICATE_DATABASE = "42P04";

    private Databases() {
    }

    /** Creates database {@code name} unless it exists, connecting to {@code adminJdbcUrl}. */
    static void create(String adminJdbcUrl, String username, String password, String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid database name: " + name);
        }
        Properties credentials = new Properties();
        credentials.setProperty("user", username);
        credentials.setProperty("password", password);
        // the driver is used directly: DriverManager refuses drivers from another class loader (Quarkus tests)
        try (Connection connection = new Driver().connect(adminJdbcUrl, credentials);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE \"" + name + "\"");
        } catch (SQLException e) {
            if (!DUPLICATE_DATABASE.equals(e.getSQLState())) {
                throw new IllegalStateException("cannot create database " + name + " via " + adminJdbcUrl, e);
            }
        }
    }

    /** {@code jdbcUrl} with its database replaced by {@code database}, query parameters kept. */
    static String withDatabase(String jdbcUrl, String database) {
        Matcher matcher = JDBC_URL.matcher(jdbcUrl);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a jdbc:postgresql:// URL: " + jdbcUrl);
        }
        return matcher.group(1) + "/" + database + (matcher.group(3) == null ? "" : matcher.group(3));
    }
}
