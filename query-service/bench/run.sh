#!/usr/bin/env bash
# Query API benchmark: a throwaway PostgreSQL (Debian's binaries, or BENCH_PG_BIN), the packaged query service
# against it (Flyway migrates), the generated dataset (BenchHistograms.java + generate.sql), then QueryBench.java.
#   query-service/bench/run.sh            # build, generate (first time: several minutes), measure
#   BENCH_KEEP_DATA=1 query-service/bench/run.sh   # reuse the dataset of a previous run
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH=$ROOT/query-service/bench
WORK=${BENCH_DIR:-$ROOT/.beatline/bench}
PG_BIN=${BENCH_PG_BIN:-/usr/lib/postgresql/15/bin}
PG_PORT=${BENCH_PG_PORT:-55432}
QUERY_PORT=${BENCH_QUERY_PORT:-18080}
TOKEN=bench-admin-token
mkdir -p "$WORK"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ "${BENCH_KEEP_DATA:-0}" != 1 ] || [ ! -d "$WORK/pgdata" ]; then
  [ -d "$WORK/pgdata" ] && { as_pg "$PG_BIN/pg_ctl" -D "$WORK/pgdata" -m fast stop >/dev/null 2>&1 || true; rm -rf "$WORK/pgdata"; }
  mkdir -p "$WORK/pgdata" "$WORK/sock" "$WORK/pglog"
  if [ "$(id -u)" = 0 ]; then chown -R postgres "$WORK/pgdata" "$WORK/sock" "$WORK/pglog"; fi
  as_pg "$PG_BIN/initdb" -D "$WORK/pgdata" -U postgres --auth=trust >/dev/null
  FRESH=1
else
  FRESH=0
fi
as_pg "$PG_BIN/pg_ctl" -D "$WORK/pgdata" -l "$WORK/pglog/postgres.log" -w status >/dev/null 2>&1 || \
  as_pg "$PG_BIN/pg_ctl" -D "$WORK/pgdata" -l "$WORK/pglog/postgres.log" -w \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $WORK/sock -c shared_buffers=512MB -c max_wal_size=4GB -c work_mem=32MB" start >/dev/null
PSQL=(psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres)
[ "$FRESH" = 1 ] && "${PSQL[@]}" -c "CREATE DATABASE beatline" postgres

(cd "$ROOT" && ./mvnw -B -q -pl query-service -am package -DskipTests)
java -Xmx512m -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$QUERY_PORT" \
  -Dquarkus.datasource.jdbc.url="jdbc:postgresql://127.0.0.1:$PG_PORT/beatline" -Dbeatline.admin-token=$TOKEN \
  -Dquarkus.log.level=WARN -jar "$ROOT/query-service/target/quarkus-app/quarkus-run.jar" > "$WORK/query.log" 2>&1 &
QUERY_PID=$!
trap 'kill $QUERY_PID 2>/dev/null || true; as_pg "$PG_BIN/pg_ctl" -D "$WORK/pgdata" -m fast stop >/dev/null 2>&1 || true' EXIT
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$QUERY_PORT/q/health/ready" >/dev/null && break; sleep 0.5; done
curl -fs "http://127.0.0.1:$QUERY_PORT/q/health/ready" >/dev/null || { cat "$WORK/query.log"; exit 1; }

if [ "$FRESH" = 1 ]; then
  echo "generating the dataset (several minutes)"
  java -cp "$ROOT/query-service/target/quarkus-app/lib/main/*" "$BENCH/BenchHistograms.java" > "$WORK/histograms.csv"
  "${PSQL[@]}" -c "CREATE TABLE bench_histogram_hex (kind text, variant int, hex text)" beatline
  "${PSQL[@]}" -c "\copy bench_histogram_hex FROM '$WORK/histograms.csv' CSV" beatline
  "${PSQL[@]}" -f "$BENCH/generate.sql" beatline
fi
# CPU is counted for the query service and our postmaster's children (its backends)
java -Dbench.requests="${BENCH_REQUESTS:-300}" -Dbench.clk-tck="$(getconf CLK_TCK)" \
  -Dbench.query-pid="$QUERY_PID" -Dbench.postmaster-pid="$(head -1 "$WORK/pgdata/postmaster.pid")" \
  "$BENCH/QueryBench.java" "http://127.0.0.1:$QUERY_PORT" "$TOKEN"
