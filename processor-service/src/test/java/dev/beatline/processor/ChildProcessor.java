package dev.beatline.processor;

import dev.beatline.processor.kafka.BatchConsumerLoop;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * A processor in its own JVM, for tests that kill it without warning ({@code Process.destroyForcibly()}, i.e.
 * SIGKILL) and for the benchmark, which measures its CPU. Args: bootstrap servers, JDBC URL, user, password,
 * consumer group, max poll records, the stored-occurrence cap per issue minute (default 100), and optionally
 * {@code traces} for a loop of errors, transactions and spans with trace sampling (default: errors only).
 * Prints {@code READY} once the loop runs.
 */
public final class ChildProcessor {

    private ChildProcessor() {
    }

    public static void main(String[] args) throws Exception {
        var ds = ProcessorTestSupport.dataSource(args[1], args[2], args[3]);
        BatchConsumerLoop loop = args.length > 7 && args[7].equals("traces")
                ? ProcessorTestSupport.traceLoop(args[0], ds, args[4], new SimpleMeterRegistry(),
                        Integer.parseInt(args[5]), java.time.Duration.ofSeconds(60))
                : ProcessorTestSupport.errorLoop(args[0], ds, args[4], new SimpleMeterRegistry(),
                        Integer.parseInt(args[5]), args.length > 6 ? Integer.parseInt(args[6]) : 100);
        Runtime.getRuntime().addShutdownHook(new Thread(loop::stop));
        System.out.println("READY");
        System.out.flush();
        loop.run();
    }

    /** Starts a child processor JVM with this JVM's class path. */
    public static Process start(String bootstrap, dev.beatline.infra.Database db, String group, int maxPoll)
            throws java.io.IOException {
        return start(bootstrap, db, group, maxPoll, 100);
    }

    /** Starts a child processor JVM storing at most {@code storeCap} occurrences per issue minute. */
    public static Process start(String bootstrap, dev.beatline.infra.Database db, String group, int maxPoll,
            int storeCap) throws java.io.IOException {
        return start(bootstrap, db, group, maxPoll, storeCap, "errors");
    }

    /** Starts a child processor JVM consuming errors, transactions and spans with trace sampling. */
    public static Process startTraces(String bootstrap, dev.beatline.infra.Database db, String group, int maxPoll)
            throws java.io.IOException {
        return start(bootstrap, db, group, maxPoll, 100, "traces");
    }

    private static Process start(String bootstrap, dev.beatline.infra.Database db, String group, int maxPoll,
            int storeCap, String loop) throws java.io.IOException {
        String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(javaBin, "-Xmx256m", "-XX:+UseSerialGC"));
        String jfr = System.getProperty("bench.jfr"); // a JFR profile of the child, written when it is stopped
        if (jfr != null && !jfr.isBlank()) {
            cmd.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + jfr);
        }
        cmd.addAll(java.util.List.of("-cp", System.getProperty("java.class.path"), ChildProcessor.class.getName(),
                bootstrap, db.jdbcUrl(), db.username(), db.password(), group, Integer.toString(maxPoll),
                Integer.toString(storeCap), loop));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(
                new java.io.File(System.getProperty("java.io.tmpdir"), "child-processor.log")));
        return pb.start();
    }
}
