package dev.beatline.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Closed-loop load against one running server on 127.0.0.1: {@code --connections} threads each send a request,
 * wait for its answer and send the next, every request carrying {@code --events} events with fresh ids. After a
 * warm-up it measures {@code --runs} consecutive windows of {@code --duration} seconds and prints, per window and
 * as medians, events accepted per second, events per server CPU-second (utime+stime of {@code --pid} from
 * {@code /proc}) and request latency percentiles. It stops by itself after warm-up + runs × duration.
 *
 * <pre>
 * java -cp … dev.beatline.bench.IntakeLoadHarness --target elastic --url http://127.0.0.1:18200 --pid PID
 *      (--secret S | --jdbc URL --db-user U --db-password P) [--connections 32] [--events 100]
 *      [--warmup 60] [--duration 20] [--runs 3] [--clk-tck 100]
 * java -cp … dev.beatline.bench.IntakeLoadHarness --target zipkin --url http://127.0.0.1:19411 --pid PID …
 * </pre>
 *
 * Output lines start with {@code RUN} (one per window) and {@code RESULT} (medians) followed by {@code key=value}
 * pairs, so the driver script can tabulate them.
 */
public final class IntakeLoadHarness {

    private final Options options;
    private final HttpClient client;
    private final Supplier<HttpRequest> requests;
    private final ProcessCpu serverCpu;
    private final ProcessCpu ownCpu;
    private final LongAdder acceptedEvents = new LongAdder();
    private final Map<Integer, LongAdder> failuresByStatus = new ConcurrentHashMap<>();
    private final Recorder latencyMicros = new Recorder(3);
    private volatile boolean stopping;

    private IntakeLoadHarness(Options options, Supplier<HttpRequest> requests) {
        this.options = options;
        this.requests = requests;
        this.serverCpu = new ProcessCpu(options.pid, options.clkTck);
        this.ownCpu = new ProcessCpu(ProcessHandle.current().pid(), options.clkTck);
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newFixedThreadPool(2)).build();
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        Supplier<HttpRequest> requests = switch (o.target) {
            case "elastic" -> {
                String secret = o.secret != null ? o.secret : BenchProject.seed(o.jdbc, o.dbUser, o.dbPassword);
                URI uri = URI.create(o.url + "/intake/v2/events");
                yield () -> HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + secret)
                        .header("Content-Type", "application/x-ndjson").header("Content-Encoding", "gzip")
                        .header("User-Agent", "apm-agent-java/1.55.1 (bench-orders 1.0.0)")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(ElasticPayloads.gzipped(o.events))).build();
            }
            case "zipkin" -> {
                URI uri = URI.create(o.url + "/api/v2/spans");
                yield () -> HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(ZipkinPayloads.json(o.events))).build();
            }
            default -> throw new IllegalArgumentException("--target must be elastic or zipkin");
        };
        new IntakeLoadHarness(o, requests).run();
    }

    private void run() throws Exception {
        HttpResponse<String> probe = client.send(requests.get(), HttpResponse.BodyHandlers.ofString());
        if (probe.statusCode() / 100 != 2) {
            throw new IllegalStateException("probe request answered " + probe.statusCode() + ": " + probe.body());
        }
        System.out.printf("target=%s url=%s pid=%d connections=%d events_per_request=%d warmup_s=%d duration_s=%d runs=%d%n",
                options.target, options.url, options.pid, options.connections, options.events, options.warmup,
                options.duration, options.runs);
        ExecutorService workers = Executors.newFixedThreadPool(options.connections);
        for (int i = 0; i < options.connections; i++) {
            workers.execute(this::sendUntilStopped);
        }
        try {
            TimeUnit.SECONDS.sleep(options.warmup);
            List<Window> windows = new ArrayList<>();
            Histogram all = new Histogram(3);
            latencyMicros.getIntervalHistogram();
            for (int run = 1; run <= options.runs; run++) {
                long events0 = acceptedEvents.sum();
                long failures0 = failures();
                double cpu0 = serverCpu.seconds();
                double ownCpu0 = ownCpu.seconds();
                long t0 = System.nanoTime();
                TimeUnit.SECONDS.sleep(options.duration);
                long events = acceptedEvents.sum() - events0;
                double cpu = serverCpu.seconds() - cpu0;
                double loadGeneratorCpu = ownCpu.seconds() - ownCpu0;
                double seconds = (System.nanoTime() - t0) / 1e9;
                Histogram latency = latencyMicros.getIntervalHistogram();
                all.add(latency);
                Window w = new Window(run, events, seconds, cpu, loadGeneratorCpu, failures() - failures0, latency);
                windows.add(w);
                System.out.println("RUN target=" + options.target + " " + w.describe());
            }
            Window median = windows.stream().sorted(Comparator.comparingDouble(Window::eventsPerCpuSecond))
                    .toList().get(windows.size() / 2);
            double medianRate = windows.stream().mapToDouble(Window::eventsPerSecond).sorted()
                    .toArray()[windows.size() / 2];
            System.out.printf("RESULT target=%s events_per_s=%.0f events_per_cpu_s=%.0f server_cpu_util=%.2f"
                            + " load_generator_cpu_util=%.2f p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f p999_ms=%.1f max_ms=%.1f failed_requests=%d%s%n",
                    options.target, medianRate, median.eventsPerCpuSecond(), median.cpuSeconds / median.seconds,
                    median.loadGeneratorCpuSeconds / median.seconds,
                    ms(all, 50), ms(all, 90), ms(all, 99), ms(all, 99.9), all.getMaxValue() / 1000.0, failures(),
                    failuresByStatus.isEmpty() ? "" : " failures_by_status=" + failuresByStatus);
        } finally {
            stopping = true;
            workers.shutdown();
            if (!workers.awaitTermination(40, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        }
        System.exit(0);
    }

    private void sendUntilStopped() {
        while (!stopping) {
            HttpRequest request = requests.get();
            long t0 = System.nanoTime();
            int status;
            try {
                status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                status = -1;
            }
            latencyMicros.recordValue(Math.max(1, (System.nanoTime() - t0) / 1_000));
            if (status / 100 == 2) {
                acceptedEvents.add(options.events);
            } else {
                failuresByStatus.computeIfAbsent(status, s -> new LongAdder()).increment();
            }
        }
    }

    private long failures() {
        return failuresByStatus.values().stream().mapToLong(LongAdder::sum).sum();
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }

    /** One measured window. */
    private record Window(int run, long events, double seconds, double cpuSeconds, double loadGeneratorCpuSeconds,
            long failures, Histogram latency) {

        double eventsPerSecond() {
            return events / seconds;
        }

        double eventsPerCpuSecond() {
            return cpuSeconds <= 0 ? 0 : events / cpuSeconds;
        }

        String describe() {
            return String.format("run=%d events=%d seconds=%.1f server_cpu_s=%.2f load_generator_cpu_s=%.2f"
                            + " events_per_s=%.0f events_per_cpu_s=%.0f p50_ms=%.1f p99_ms=%.1f failed_requests=%d",
                    run, events, seconds, cpuSeconds, loadGeneratorCpuSeconds, eventsPerSecond(), eventsPerCpuSecond(),
                    latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(99) / 1000.0, failures);
        }
    }

    /** Command line options; see the class comment. */
    private static final class Options {
        String target;
        String url;
        long pid;
        String secret;
        String jdbc;
        String dbUser = "postgres";
        String dbPassword = "postgres";
        int connections = 32;
        int events = 100;
        int warmup = 60;
        int duration = 20;
        int runs = 3;
        int clkTck = 100;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i + 1 < args.length; i += 2) {
                String v = args[i + 1];
                switch (args[i]) {
                    case "--target" -> o.target = v;
                    case "--url" -> o.url = v.replaceAll("/+$", "");
                    case "--pid" -> o.pid = Long.parseLong(v);
                    case "--secret" -> o.secret = v;
                    case "--jdbc" -> o.jdbc = v;
                    case "--db-user" -> o.dbUser = v;
                    case "--db-password" -> o.dbPassword = v;
                    case "--connections" -> o.connections = Integer.parseInt(v);
                    case "--events" -> o.events = Integer.parseInt(v);
                    case "--warmup" -> o.warmup = Integer.parseInt(v);
                    case "--duration" -> o.duration = Integer.parseInt(v);
                    case "--runs" -> o.runs = Integer.parseInt(v);
                    case "--clk-tck" -> o.clkTck = Integer.parseInt(v);
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + " in " + Arrays.toString(args));
                }
            }
            if (o.target == null || o.url == null || o.pid <= 0) {
                throw new IllegalArgumentException("--target, --url and --pid are required");
            }
            if (!o.url.startsWith("http://127.0.0.1:")) {
                throw new IllegalArgumentException("load goes to 127.0.0.1 only, got " + o.url);
            }
            if ("elastic".equals(o.target) && o.secret == null && o.jdbc == null) {
                throw new IllegalArgumentException("--target elastic needs --secret or --jdbc");
            }
            if (o.runs < 1 || o.duration < 1 || o.connections < 1 || o.events < 1 || o.warmup < 0) {
                throw new IllegalArgumentException("--runs, --duration, --connections, --events must be positive");
            }
            return o;
        }
    }
}
