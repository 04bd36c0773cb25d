#!/usr/bin/env bash
# Intake benchmark: the same agent-like load against Beatline's intake (packaged quarkus-run.jar, real Kafka and
# PostgreSQL from infra's LocalInfra) and against the peer, Zipkin server 3.6.1 (in-memory storage), one after the
# other; prints events accepted per second and per server CPU-second, latency percentiles and our/Zipkin ratio;
# then the JMH benchmark of ElasticStreamDecoder. Everything binds to 127.0.0.1 and stops by itself.
#
#   bench/run-intake-bench.sh [--warmup 60] [--duration 20] [--runs 3] [--connections 32] [--events 100]
#                             [--only elastic|zipkin] [--skip-jmh] [--skip-build] [--jfr]
#
# --jfr records a JFR profile of the intake (results dir/intake.jfr). Results and logs: bench/target/results-<time>/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="0.1.0-SNAPSHOT"
WARMUP=60 DURATION=20 RUNS=3 CONNECTIONS=32 EVENTS=100 JMH=1 BUILD=1 JFR=0 ONLY=
while [[ $# -gt 0 ]]; do
  case "$1" in
    --warmup) WARMUP="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --events) EVENTS="$2"; shift 2 ;;
    --skip-jmh) JMH=0; shift ;;
    --skip-build) BUILD=0; shift ;;
    --jfr) JFR=1; shift ;;
    --only) ONLY="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
KAFKA_PORT="${BENCH_KAFKA_PORT:-19092}" PG_PORT="${BENCH_PG_PORT:-15433}"
INTAKE_PORT="${BENCH_INTAKE_PORT:-18200}" ZIPKIN_PORT="${BENCH_ZIPKIN_PORT:-19411}"
SERVER_HEAP="${BENCH_SERVER_HEAP:-1g}"
# Zipkin's in-memory store keeps 500,000 spans by default; with a 1 GiB heap it then thrashes in GC and its
# throughput collapses (measured: 18k → 1.3k spans per CPU-second). A 100,000-span cap keeps it at its best.
ZIPKIN_MAX_SPANS="${BENCH_ZIPKIN_MAX_SPANS:-100000}"
TOPICS="beatline.errors.v1,beatline.transactions.v1,beatline.spans.v1,beatline.metricsets.v1,beatline.logs.v1,beatline.dlq.v1"
OUT="$ROOT/bench/target/results-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"
CLK_TCK="$(getconf CLK_TCK)"
STARTED=()

say() { echo "bench: $*" >&2; }
stop_pid() { # pid: SIGTERM, wait up to 20 s, then SIGKILL
  local pid="$1" i
  kill "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  kill -9 "$pid" 2>/dev/null || true
}
cleanup() { local p; for p in "${STARTED[@]}"; do stop_pid "$p"; done; }
trap cleanup EXIT
wait_until() { # seconds command...
  local secs="$1" i; shift
  for ((i = 0; i < secs * 5; i++)); do "$@" && return 0; sleep 0.2; done
  return 1
}
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$KAFKA_PORT" "$PG_PORT" "$INTAKE_PORT" "$ZIPKIN_PORT"; do
  port_busy "$p" && { say "port $p is in use; set BENCH_*_PORT"; exit 2; }
done

cd "$ROOT"
if [[ $BUILD == 1 ]]; then
  say "building infra, intake-service, bench (package, no tests)"
  ./mvnw -B -q package -DskipTests -pl infra,intake-service,bench -am
fi
ZIPKIN_JAR="$ROOT/bench/target/zipkin/zipkin-server-3.6.1-exec.jar"
if [[ ! -f "$ZIPKIN_JAR" ]]; then
  say "fetching io.zipkin:zipkin-server:3.6.1:jar:exec"
  ./mvnw -B -q dependency:copy -Dartifact=io.zipkin:zipkin-server:3.6.1:jar:exec -DoutputDirectory="$ROOT/bench/target/zipkin"
fi
BENCH_CP="$ROOT/bench/target/beatline-bench-$VERSION.jar:$ROOT/bench/target/lib/*"
HARNESS=(java -Xmx512m -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$BENCH_CP" dev.beatline.bench.IntakeLoadHarness --connections "$CONNECTIONS"
  --events "$EVENTS" --warmup "$WARMUP" --duration "$DURATION" --runs "$RUNS" --clk-tck "$CLK_TCK")

# --- Beatline intake against real Kafka + PostgreSQL --------------------------------------------------------
if [[ $ONLY != zipkin ]]; then
say "starting Kafka :$KAFKA_PORT and PostgreSQL :$PG_PORT (LocalInfra, data in $OUT/infra)"
java -Xmx512m -Dot.epg.working-dir="$ROOT/.beatline/epg" \
  -cp "$ROOT/infra/target/beatline-infra-$VERSION.jar:$ROOT/infra/target/lib/*" dev.beatline.infra.LocalInfra \
  --data-dir "$OUT/infra" --kafka-port "$KAFKA_PORT" --pg-port "$PG_PORT" --topics "$TOPICS" --partitions 12 \
  > "$OUT/infra.log" 2>&1 &
INFRA_PID=$!; STARTED+=("$INFRA_PID")
wait_until 120 test -f "$OUT/infra/infra.ready" || { tail -30 "$OUT/infra.log" >&2; say "infra did not start"; exit 1; }
JDBC="jdbc:postgresql://127.0.0.1:$PG_PORT/beatline"

INTAKE_OPTS=(-Xmx"$SERVER_HEAP" -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$INTAKE_PORT")
[[ $JFR == 1 ]] && INTAKE_OPTS+=("-XX:StartFlightRecording=filename=$OUT/intake.jfr,settings=profile")
say "starting the intake :$INTAKE_PORT (heap $SERVER_HEAP)"
KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$KAFKA_PORT" QUARKUS_DATASOURCE_JDBC_URL="$JDBC" \
  QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD=postgres \
  java "${INTAKE_OPTS[@]}" -jar "$ROOT/intake-service/target/quarkus-app/quarkus-run.jar" > "$OUT/intake.log" 2>&1 &
INTAKE_PID=$!; STARTED+=("$INTAKE_PID")
wait_until 90 curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$INTAKE_PORT/q/health/ready" \
  || { tail -30 "$OUT/intake.log" >&2; say "intake did not become ready"; exit 1; }
say "load on the intake: warm-up ${WARMUP}s, $RUNS × ${DURATION}s, $CONNECTIONS connections, $EVENTS events/request"
"${HARNESS[@]}" --target elastic --url "http://127.0.0.1:$INTAKE_PORT" --pid "$INTAKE_PID" \
  --jdbc "$JDBC" --db-user postgres --db-password postgres | tee "$OUT/elastic.txt"
curl -fsS "http://127.0.0.1:$INTAKE_PORT/q/metrics" > "$OUT/intake-metrics.txt" || true
stop_pid "$INTAKE_PID"; stop_pid "$INFRA_PID"
fi

# --- Zipkin server, in-memory storage -------------------------------------------------------------------------
if [[ $ONLY != elastic ]]; then
say "starting Zipkin 3.6.1 :$ZIPKIN_PORT (in-memory storage of $ZIPKIN_MAX_SPANS spans, heap $SERVER_HEAP)"
STORAGE_TYPE=mem MEM_MAX_SPANS="$ZIPKIN_MAX_SPANS" java -Xmx"$SERVER_HEAP" -jar "$ZIPKIN_JAR" --armeria.ports[0].ip=127.0.0.1 \
  --armeria.ports[0].port="$ZIPKIN_PORT" --armeria.ports[0].protocols=http > "$OUT/zipkin.log" 2>&1 &
ZIPKIN_PID=$!; STARTED+=("$ZIPKIN_PID")
wait_until 120 curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$ZIPKIN_PORT/health" \
  || { tail -30 "$OUT/zipkin.log" >&2; say "zipkin did not start"; exit 1; }
say "load on Zipkin: same settings"
"${HARNESS[@]}" --target zipkin --url "http://127.0.0.1:$ZIPKIN_PORT" --pid "$ZIPKIN_PID" | tee "$OUT/zipkin.txt"
stop_pid "$ZIPKIN_PID"
fi

# --- JMH: the decoder alone -------------------------------------------------------------------------------------
if [[ $JMH == 1 ]]; then
  say "JMH ElasticStreamDecoderBenchmark"
  java -cp "$BENCH_CP" org.openjdk.jmh.Main ElasticStreamDecoderBenchmark -p events="$EVENTS" \
    -rf text -rff "$OUT/jmh.txt" | tee "$OUT/jmh.log" | grep -E "^Benchmark|^ElasticStream" || true
fi

# --- table ----------------------------------------------------------------------------------------------------
field() { [[ -f "$1" ]] && grep '^RESULT' "$1" | tr ' ' '\n' | grep "^$2=" | cut -d= -f2; }
{
  echo
  echo "settings: warm-up ${WARMUP}s, median of $RUNS runs × ${DURATION}s, $CONNECTIONS connections, $EVENTS events/request, server heap $SERVER_HEAP, zipkin mem max-spans $ZIPKIN_MAX_SPANS, $(nproc) cores"
  printf '%-22s %10s %13s %9s %9s %8s %8s %8s %9s %7s\n' server events/s events/CPU-s srv-cpu gen-cpu p50-ms p90-ms p99-ms p99.9-ms failed
  for t in elastic zipkin; do
    f="$OUT/$t.txt"
    name=$([[ $t == elastic ]] && echo "beatline intake" || echo "zipkin 3.6.1 (mem)")
    printf '%-22s %10s %13s %9s %9s %8s %8s %8s %9s %7s\n' "$name" "$(field "$f" events_per_s)" \
      "$(field "$f" events_per_cpu_s)" "$(field "$f" server_cpu_util)" "$(field "$f" load_generator_cpu_util)" \
      "$(field "$f" p50_ms)" "$(field "$f" p90_ms)" \
      "$(field "$f" p99_ms)" "$(field "$f" p999_ms)" "$(field "$f" failed_requests)"
  done
  ours="$(field "$OUT/elastic.txt" events_per_cpu_s)"; theirs="$(field "$OUT/zipkin.txt" events_per_cpu_s)"
  if [[ -n "$ours" && -n "$theirs" ]]; then
    echo "ratio beatline/zipkin events per server CPU-second: $(awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "%.2f", a / b }')"
  fi
  if [[ -f "$OUT/jmh.txt" ]]; then echo; cat "$OUT/jmh.txt"; fi
  echo "results: $OUT"
} | tee "$OUT/summary.txt"
