package dev.beatline.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;

/**
 * The local launcher's infrastructure process: a Kafka broker and a PostgreSQL server with persistent data.
 *
 * <pre>
 * java -cp "infra/target/beatline-infra-0.1.0-SNAPSHOT.jar:infra/target/lib/*" dev.beatline.infra.LocalInfra \
 *     --data-dir DIR [--kafka-port 9092] [--pg-port 5433] [--topics t1,t2 (default: all Beatline topics)] [--partitions 12]
 * </pre>
 *
 * Kafka keeps its log under {@code DIR/kafka}, PostgreSQL its data under {@code DIR/postgres} (and its
 * binaries under {@code DIR/epg} unless {@code -Dot.epg.working-dir} is given). When both serve, the topics
 * and database {@code beatline} exist, the line {@code BEATLINE_INFRA_READY kafka=… jdbc=… user=… password=…}
 * is printed and the same keys are written to {@code DIR/infra.ready}. SIGTERM stops both cleanly and
 * deletes {@code DIR/infra.ready}. Exit code 2: bad arguments or a port already in use; 1: startup failed.
 */
public final class LocalInfra {

    private static final String DATABASE = "beatline";

    private final Options options;
    private final Path readyFile;
    private KafkaBroker kafka;
    private PostgresServer postgres;

    private LocalInfra(Options options) {
        this.options = options;
        this.readyFile = options.dataDir().resolve("infra.ready");
    }

    public static void main(String[] args) throws InterruptedException {
        // before anything logs: the quiet configuration shipped in this jar
        System.setProperty("log4j2.configurationFile", "beatline-infra-log4j2.xml");
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            exit(2, e.getMessage());
            return;
        }
        for (int port : List.of(options.kafkaPort(), options.pgPort())) {
            if (!Ports.isFree(port)) {
                exit(2, "port " + port + " on 127.0.0.1 is already in use");
            }
        }
        if (System.getProperty("ot.epg.working-dir") == null) {
            System.setProperty("ot.epg.working-dir", options.dataDir().resolve("epg").toString());
        }
        LocalInfra infra = new LocalInfra(options);
        Runtime.getRuntime().addShutdownHook(new Thread(infra::stop, "beatline-infra-stop"));
        try {
            infra.start();
        } catch (RuntimeException e) {
            e.printStackTrace();
            exit(1, "startup failed: " + e);
        }
        Thread.currentThread().join();
    }

    private synchronized void start() {
        postgres = PostgresServer.start(options.dataDir().resolve("postgres"), options.pgPort());
        postgres.createDatabase(DATABASE);
        kafka = KafkaBroker.start(options.dataDir().resolve("kafka"), options.kafkaPort(), options.partitions());
        if (!options.topics().isEmpty()) {
            kafka.createTopics(options.partitions(), options.topics().toArray(String[]::new));
        }
        String ready = "kafka=" + kafka.bootstrapServers() + " jdbc=" + postgres.jdbcUrl(DATABASE)
                + " user=" + postgres.username() + " password=" + postgres.password();
        writeReadyFile(ready.replace(' ', '\n') + "\n");
        System.out.println("BEATLINE_INFRA_READY " + ready);
    }

    private synchronized void stop() {
        try {
            Files.deleteIfExists(readyFile);
        } catch (IOException e) {
            System.err.println("cannot delete " + readyFile + ": " + e);
        }
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private void writeReadyFile(String content) {
        try {
            Path temp = Files.writeString(readyFile.resolveSibling("infra.ready.tmp"), content);
            Files.move(temp, readyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + readyFile, e);
        }
    }

    private static void exit(int status, String message) {
        System.err.println("LocalInfra: " + message);
        System.exit(status);
    }

    /** Command line options. */
    record Options(Path dataDir, int kafkaPort, int pgPort, List<String> topics, int partitions) {

        private static final String USAGE = "usage: LocalInfra --data-dir DIR [--kafka-port 9092] [--pg-port 5433]"
                + " [--topics t1,t2] [--partitions 12]";

        static Options parse(String[] args) {
            Path dataDir = null;
            int kafkaPort = 9092;
            int pgPort = 5433;
            List<String> topics = dev.beatline.model.Topics.ALL; // every Beatline topic unless told otherwise
            int partitions = KafkaBroker.DEFAULT_PARTITIONS;
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value for " + args[i] + "\n" + USAGE);
                }
                String value = args[i + 1];
                switch (args[i]) {
                    case "--data-dir" -> dataDir = Path.of(value).toAbsolutePath();
                    case "--kafka-port" -> kafkaPort = number(args[i], value);
                    case "--pg-port" -> pgPort = number(args[i], value);
                    case "--topics" -> topics = Arrays.stream(value.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
                    case "--partitions" -> partitions = number(args[i], value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + USAGE);
                }
            }
            if (dataDir == null) {
                throw new IllegalArgumentException("--data-dir is required\n" + USAGE);
            }
            return new Options(dataDir, kafkaPort, pgPort, topics, partitions);
        }

        private static int number(String option, String value) {
            try {
                int number = Integer.parseInt(value);
                if (number > 0 && number <= 65535) {
                    return number;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(option + " needs a number between 1 and 65535, got: " + value);
        }
    }
}
