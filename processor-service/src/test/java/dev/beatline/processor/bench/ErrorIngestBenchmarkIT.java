package dev.beatline.processor.bench;

import static dev.beatline.processor.ProcessorTestSupport.queryLong;

import dev.beatline.infra.Database;
import dev.beatline.infra.SharedInfra;
import dev.beatline.model.ErrorEvent;
import dev.beatline.processor.ChildProcessor;
import dev.beatline.processor.ProcessorTestSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Errors grouped and stored per CPU-second of the processor and PostgreSQL together (issue 4, target ≥ 5,000).
 * The processor runs in its own JVM ({@link ChildProcessor}) so its CPU is measured alone, from
 * {@code /proc/<pid>/stat}; PostgreSQL's CPU is the postmaster's and its backends' utime+stime plus the
 * CPU of backends that exited (the postmaster's cutime+cstime). Kafka (in this JVM) and the producer are not
 * counted. Warm-up events are processed before measuring. Run with {@code -Dbeatline.bench=true}
 * ({@code -Dbench.events}, {@code -Dbench.fingerprints}, {@code -Dbench.poll} to vary; {@code -Dbench.storeCap}: stored
 * occurrences per issue minute, default 100 as in production, 0 = store every event; {@code -Dbench.jfr=FILE}: a JFR
 * profile of the processor); see NOTES.
 */
@EnabledIfSystemProperty(named = "beatline.bench", matches = "true")
class ErrorIngestBenchmarkIT {

    private static final long TICKS = 100; // USER_HZ on Linux

    @Test
    void errorsPerCpuSecond() throws Exception {
        int events = Integer.getInteger("bench.events", 200_000);
        int fingerprints = Integer.getInteger("bench.fingerprints", 200);
        int poll = Integer.getInteger("bench.poll", 1000);
        int storeCapSetting = Integer.getInteger("bench.storeCap", 100);
        int storeCap = storeCapSetting == 0 ? Integer.MAX_VALUE : storeCapSetting;
        int warmup = Math.max(10_000, events / 10);
        SharedInfra infra = SharedInfra.get();
        String bootstrap = infra.kafkaBootstrapServers();
        Database db = ProcessorTestSupport.migratedDatabase(infra);
        long project = ProcessorTestSupport.newProjectId();

        ProcessorTestSupport.createErrorsTopic(bootstrap);
        Process child = ChildProcessor.start(bootstrap, db, "bench-" + UUID.randomUUID(), poll, storeCap);
        try {
            produce(bootstrap, project, warmup, fingerprints);
            awaitCount(db, project, warmup);
            long warmupStored = queryLong(db, "SELECT count(*) FROM error_events WHERE project_id = " + project);

            long port = Long.parseLong(db.jdbcUrl().replaceAll(".*:(\\d+)/.*", "$1"));
            long pg0 = postgresTicks(port);
            long proc0 = ticks(child.pid(), false);
            long t0 = System.nanoTime();
            produce(bootstrap, project, events, fingerprints);
            awaitCount(db, project, warmup + events);
            double wall = (System.nanoTime() - t0) / 1e9;
            double procCpu = (ticks(child.pid(), false) - proc0) / (double) TICKS;
            double pgCpu = (postgresTicks(port) - pg0) / (double) TICKS;

            long stored = queryLong(db, "SELECT count(*) FROM error_events WHERE project_id = " + project);
            long issues = queryLong(db, "SELECT count(*) FROM issues WHERE project_id = " + project);
            System.out.printf("%nBENCH errors=%d fingerprints=%d issues=%d stored=%d maxPoll=%d storeCap=%s%n", events,
                    fingerprints, issues, stored - warmupStored, poll, storeCapSetting == 0 ? "unlimited" : storeCap);
            System.out.printf("BENCH wall=%.2fs processorCpu=%.2fs postgresCpu=%.2fs%n", wall, procCpu, pgCpu);
            System.out.printf("BENCH errors per CPU-second (processor+PostgreSQL) = %.0f ; per wall-second = %.0f%n%n",
                    events / (procCpu + pgCpu), events / wall);
        } finally {
            child.destroy(); // a clean stop writes the JFR profile (-Dbench.jfr=FILE)
            if (!child.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor();
            }
        }
    }

    private static void produce(String bootstrap, long project, int n, int fingerprints) {
        java.util.concurrent.atomic.AtomicLong failed = new java.util.concurrent.atomic.AtomicLong();
        try (KafkaProducer<String, byte[]> producer = ProcessorTestSupport.producer(bootstrap)) {
            for (int i = 0; i < n; i++) {
                ErrorEvent e = ProcessorTestSupport.error(project, "svc-" + (i % 16), i % fingerprints,
                        "1." + (i % 3), "user-" + (i % 500), Instant.now());
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(dev.beatline.model.Topics.ERRORS,
                        e.header().recordKey(), dev.beatline.model.EventCodec.encode(e)), (md, ex) -> {
                            if (ex != null) {
                                failed.incrementAndGet();
                            }
                        });
            }
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " events were not acknowledged by Kafka");
        }
    }

    private static void awaitCount(Database db, long project, long expected) throws Exception {
        long deadline = System.nanoTime() + 30L * 60 * 1_000_000_000L;
        while (queryLong(db, "SELECT coalesce(sum(times_seen), 0) FROM issues WHERE project_id = " + project)
                < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("processor did not finish");
            }
            Thread.sleep(100);
        }
    }

    /** utime+stime of a process, plus its reaped children's when {@code withChildren}. */
    static long ticks(long pid, boolean withChildren) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after "pid (comm) ": f[0] = state (field 3); utime = field 14, stime 15, cutime 16, cstime 17
        long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return withChildren ? t + Long.parseLong(f[13]) + Long.parseLong(f[14]) : t;
    }

    /** CPU ticks of the PostgreSQL server listening on {@code port}: postmaster (with reaped children) + live children. */
    static long postgresTicks(long port) throws IOException {
        Set<Long> postmasters = new HashSet<>();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String cmd = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
                    if (cmd.contains("postgres") && cmd.matches(".*(-p |port=)" + port + "\\b.*")) {
                        postmasters.add(Long.parseLong(name));
                    }
                } catch (IOException gone) {
                    // process exited while listing
                }
            }
        }
        if (postmasters.isEmpty()) {
            throw new IllegalStateException("no PostgreSQL process found for port " + port);
        }
        long total = 0;
        List<Long> children = new ArrayList<>();
        for (long pm : postmasters) {
            total += ticks(pm, true);
            ProcessHandle.of(pm).ifPresent(h -> h.children().forEach(c -> children.add(c.pid())));
        }
        for (long c : children) {
            try {
                total += ticks(c, false);
            } catch (IOException gone) {
                // exited: its CPU moved to the postmaster's cutime
            }
        }
        return total;
    }
}
