import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Latency harness for the packaged query service (run by run.sh: {@code java QueryBench.java <base url> <token>}).
 * For each main endpoint: warm-up requests, then sequential measured requests whose parameters rotate (issue ids,
 * services, ranges) so one cached plan or page does not answer them all; prints p50/p95/p99/max in ms and,
 * with {@code -Dbench.query-pid} and {@code -Dbench.postmaster-pid}, requests per CPU-second of the query service
 * plus PostgreSQL's backends.
 * Exits 1 when an endpoint answers anything but 200 or its p95 exceeds the budget.
 */
public class QueryBench {

    static final int WARMUP = Integer.getInteger("bench.warmup", 50);
    static final int REQUESTS = Integer.getInteger("bench.requests", 300);
    static final double BUDGET_MS = Double.parseDouble(System.getProperty("bench.p95-budget-ms", "50"));
    /** The query service's pid; its CPU time is counted. */
    static final String QUERY_PID = System.getProperty("bench.query-pid", "");
    /** The postmaster's pid; the CPU time of its children (backends, background workers) is counted. */
    static final String POSTMASTER_PID = System.getProperty("bench.postmaster-pid", "");
    static final double CLOCK_TICKS = Double.parseDouble(System.getProperty("bench.clk-tck", "100"));

    public static void main(String[] args) throws Exception {
        String base = args[0] + "/api/v1/projects/bench";
        String token = args[1];
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        List<Long> hot = ids(http, token, base + "/issues?sort=times_seen&limit=50");
        List<Long> recent = ids(http, token, base + "/issues?limit=200");
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String day = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        String week = Instant.now().minus(7, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        String month = Instant.now().minus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        String page2 = cursor(http, token, base + "/issues?limit=50");

        List<Object[]> endpoints = List.of(
                ep("issues: list by last_seen", i -> base + "/issues?limit=50"),
                ep("issues: list page 2 (cursor)", i -> base + "/issues?limit=50&cursor=" + page2),
                ep("issues: list by times_seen", i -> base + "/issues?sort=times_seen&limit=50"),
                ep("issues: list by users, unresolved", i -> base + "/issues?sort=users&status=unresolved&limit=50"),
                ep("issues: list environment=staging", i -> base + "/issues?environment=staging&limit=50"),
                ep("issues: list release + service", i -> base + "/issues?release=1." + (i % 10) + "&service=service-" + (i % 20) + "&limit=50"),
                ep("issues: list free text", i -> base + "/issues?query=" + enc("failure number " + (100 + i)) + "&limit=50"),
                ep("issues: detail (latest event)", i -> base + "/issues/" + recent.get(i % recent.size())),
                ep("issues: detail of hot issue", i -> base + "/issues/" + hot.get(i % hot.size())),
                ep("issues: occurrences of hot issue", i -> base + "/issues/" + hot.get(i % hot.size()) + "/events?limit=50"),
                ep("issues: tags of hot issue", i -> base + "/issues/" + hot.get(i % hot.size()) + "/tags"),
                ep("issues: histogram 24h/1h hot", i -> base + "/issues/" + hot.get(i % hot.size()) + "/histogram?interval=1h"),
                ep("issues: histogram 30d/1d hot", i -> base + "/issues/" + hot.get(i % hot.size())
                        + "/histogram?interval=1d&from=" + month + "&to=" + now),
                ep("services: overview 24h", i -> base + "/services?from=" + day + "&to=" + now),
                ep("services: overview 7d", i -> base + "/services?from=" + week + "&to=" + now),
                ep("transactions: of service 24h by impact", i -> base + "/services/service-" + (i % 20) + "/transactions"),
                ep("transactions: of service 30d by failure", i -> base + "/services/service-" + (i % 20)
                        + "/transactions?sort=failure_rate&from=" + month + "&to=" + now),
                ep("transactions: of service 24h by p95", i -> base + "/services/service-" + (i % 20)
                        + "/transactions?sort=p95"),
                ep("transactions: project 24h", i -> base + "/transactions?limit=100"),
                ep("transactions: series 24h/5m", i -> base + "/services/service-" + (i % 20) + "/transactions/series?name="
                        + enc(name(i)) + "&interval=5m"),
                ep("transactions: series 30d/1h", i -> base + "/services/service-" + (i % 20) + "/transactions/series?name="
                        + enc(name(i)) + "&interval=1h&from=" + month + "&to=" + now),
                ep("dependencies: of service 24h", i -> base + "/services/service-" + (i % 20) + "/dependencies"),
                ep("dependencies: of service 30d", i -> base + "/services/service-" + (i % 20) + "/dependencies?from="
                        + month + "&to=" + now));

        System.out.printf(Locale.ROOT, "%-42s %6s %8s %8s %8s %8s %10s%n", "endpoint", "n", "p50 ms", "p95 ms", "p99 ms",
                "max ms", "req/CPU-s");
        boolean ok = true;
        for (Object[] e : endpoints) {
            String label = (String) e[0];
            @SuppressWarnings("unchecked")
            IntFunction<String> url = (IntFunction<String>) e[1];
            for (int i = 0; i < WARMUP; i++) {
                call(http, token, url.apply(i));
            }
            double[] ms = new double[REQUESTS];
            double cpuBefore = cpuSeconds();
            for (int i = 0; i < REQUESTS; i++) {
                long t = System.nanoTime();
                int status = call(http, token, url.apply(i));
                ms[i] = (System.nanoTime() - t) / 1e6;
                if (status != 200) {
                    System.out.println("  " + label + ": HTTP " + status + " for " + url.apply(i));
                    ok = false;
                    break;
                }
            }
            double cpu = cpuSeconds() - cpuBefore;
            Arrays.sort(ms);
            double p95 = pct(ms, 95);
            ok &= p95 <= BUDGET_MS;
            System.out.printf(Locale.ROOT, "%-42s %6d %8.1f %8.1f %8.1f %8.1f %10s%s%n", label, REQUESTS, pct(ms, 50), p95,
                    pct(ms, 99), ms[ms.length - 1], QUERY_PID.isEmpty() || cpu <= 0 ? "-" : String.format(Locale.ROOT, "%.0f",
                            REQUESTS / cpu), p95 > BUDGET_MS ? "  OVER BUDGET" : "");
        }
        System.exit(ok ? 0 : 1);
    }

    /** User + system CPU seconds used so far by the query service and the postmaster's children. */
    static double cpuSeconds() throws Exception {
        if (QUERY_PID.isEmpty()) {
            return 0;
        }
        long ticks = 0;
        try (var procs = java.nio.file.Files.list(java.nio.file.Path.of("/proc"))) {
            for (java.nio.file.Path proc : procs.filter(d -> d.getFileName().toString().matches("\\d+")).toList()) {
                String[] f;
                try {
                    String stat = java.nio.file.Files.readString(proc.resolve("stat"));
                    f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                } catch (java.io.IOException gone) {
                    continue;
                }
                // f[1] = ppid (field 4); f[11], f[12] = utime, stime (fields 14, 15), all threads included
                if (proc.getFileName().toString().equals(QUERY_PID) || f[1].equals(POSTMASTER_PID)) {
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                }
            }
        }
        return ticks / CLOCK_TICKS;
    }

    /** Transaction names as generate.sql makes them for service (i % 20): groups i%20, i%20+20, … */
    static String name(int i) {
        int grp = i % 20 + 20 * (i / 20 % 10);
        return new String[] {"GET", "POST", "PUT", "DELETE"}[grp % 4] + " /api/resource" + grp / 20;
    }

    static Object[] ep(String label, IntFunction<String> url) {
        return new Object[] {label, url};
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static double pct(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    static int call(HttpClient http, String token, String url) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).GET().build();
        return http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static String body(HttpClient http, String token, String url) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).GET().build();
        HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + resp.statusCode() + ": " + resp.body());
        }
        return resp.body();
    }

    static List<Long> ids(HttpClient http, String token, String url) throws Exception {
        Matcher m = Pattern.compile("\"id\":(\\d+)").matcher(body(http, token, url));
        List<Long> out = new ArrayList<>();
        while (m.find()) {
            out.add(Long.parseLong(m.group(1)));
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no issues in project bench: run generate.sql first");
        }
        return out;
    }

    static String cursor(HttpClient http, String token, String url) throws Exception {
        Matcher m = Pattern.compile("\"nextCursor\":\"([^\"]+)\"").matcher(body(http, token, url));
        if (!m.find()) {
            throw new IllegalStateException("no second page of issues");
        }
        return m.group(1);
    }
}
