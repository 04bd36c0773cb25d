package dev.beatline.infra;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * A real single-node Apache Kafka broker (KRaft, broker and controller roles, node id 1, static quorum)
 * running in this JVM. The PLAINTEXT listener is on 127.0.0.1; the log directory is formatted only once,
 * so a persistent data directory keeps its topics and records across {@link #stop()}/{@link #restart()}
 * and across processes.
 */
public final class KafkaBroker implements AutoCloseable {

    /** Default {@code num.partitions} for auto-created topics. */
    public static final int DEFAULT_PARTITIONS = 12;

    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final long TIMEOUT_SECONDS = 60;

    private final Path dataDir;
    private final boolean temporary;
    private final int port;
    private final int controllerPort;
    private final int partitions;
    private KafkaRaftServer server;

    private KafkaBroker(Path dataDir, boolean temporary, int port, int controllerPort, int partitions) {
        this.dataDir = dataDir;
        this.temporary = temporary;
        this.port = port;
        this.controllerPort = controllerPort;
        this.partitions = partitions;
    }

    /** Starts a broker with {@value #DEFAULT_PARTITIONS} partitions per auto-created topic. */
    public static KafkaBroker start(Path dataDir, int port) {
        return start(dataDir, port, DEFAULT_PARTITIONS);
    }

    /**
     * Starts a broker.
     *
     * @param dataDir log directory, kept between runs; {@code null} = a temporary one, deleted on {@link #close()}
     * @param port PLAINTEXT port on 127.0.0.1; 0 = a free port (kept for later restarts)
     * @param partitions {@code num.partitions} for auto-created topics
     */
    public static KafkaBroker start(Path dataDir, int port, int partitions) {
        KafkaBroker broker = new KafkaBroker(Directories.createOrTemp(dataDir, "beatline-kafka"), dataDir == null,
                port == 0 ? Ports.free() : port, Ports.free(), partitions);
        try {
            broker.restart();
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    /** {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Whether the broker is currently running. */
    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Starts the broker again on the same ports and data (stopping it first if it runs). Blocks until it serves. */
    public synchronized void restart() {
        stop();
        formatIfNeeded();
        KafkaRaftServer starting = new KafkaRaftServer(new KafkaConfig(config()), Time.SYSTEM);
        withOwnContextClassLoader(() -> {
            try {
                starting.startup();
            } catch (RuntimeException e) {
                starting.shutdown();
                starting.awaitShutdown();
                throw e;
            }
        });
        server = starting;
    }

    /** Shuts the broker down cleanly and waits for it; the data stays. No-op when already stopped. */
    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    /** Creates the topics that do not exist yet, with replication factor 1. */
    public void createTopics(int partitions, String... names) {
        withOwnContextClassLoader(() -> ensureTopics(bootstrapServers(), partitions, names));
    }

    /** Creates those of the topics that do not exist yet on the broker at {@code bootstrapServers}. */
    static void ensureTopics(String bootstrapServers, int partitions, String... names) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<NewTopic> missing = Arrays.stream(names).distinct().filter(name -> !existing.contains(name))
                    .map(name -> new NewTopic(name, partitions, (short) 1)).toList();
            admin.createTopics(missing).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                throw new IllegalStateException("cannot create topics " + Arrays.toString(names), e);
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot create topics " + Arrays.toString(names), e);
        }
    }

    /** Stops the broker; deletes the data directory if it was temporary. */
    @Override
    public synchronized void close() {
        stop();
        if (temporary) {
            Directories.deleteRecursively(dataDir);
        }
    }

    /**
     * Runs {@code action} with this class's loader as context class loader: Kafka instantiates plugins by name
     * through it, and its threads inherit it. Under a Quarkus test it would otherwise be Quarkus' loader,
     * with its own copy of the Kafka classes.
     */
    private static void withOwnContextClassLoader(Runnable action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(KafkaBroker.class.getClassLoader());
        try {
            action.run();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private void formatIfNeeded() {
        if (Files.exists(dataDir.resolve("meta.properties"))) {
            return;
        }
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(1)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(dataDir.toString()))
                    .setMetadataLogDirectory(dataDir.toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format " + dataDir, e);
        }
    }

    private Properties config() {
        Properties config = new Properties();
        config.put("process.roles", "broker,controller");
        config.put("node.id", "1");
        config.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        config.put("controller.listener.names", CONTROLLER_LISTENER);
        config.put("listeners", "PLAINTEXT://127.0.0.1:" + port + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
        config.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("log.dirs", dataDir.toString());
        config.put("num.partitions", Integer.toString(partitions));
        config.put("auto.create.topics.enable", "true");
        config.put("default.replication.factor", "1");
        config.put("min.insync.replicas", "1");
        config.put("offsets.topic.replication.factor", "1");
        config.put("offsets.topic.num.partitions", "5");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("transaction.state.log.num.partitions", "5");
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        config.put("group.initial.rebalance.delay.ms", "0");
        // the default 128 MiB on-heap dedupe buffer kills small heaps
        config.put("log.cleaner.dedupe.buffer.size", Integer.toString(4 * 1024 * 1024));
        return config;
    }
}
