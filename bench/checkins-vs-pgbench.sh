#!/usr/bin/env bash
# Signed check-ins against PostgreSQL's own one-row-update rate (issue 11, fleet.md "Scale goals"): a fresh
# server on a fresh PostgreSQL database, DEVICES (default 10,000) simulated devices enrolled with one token
# (dev.ota.agent.sim.FleetSimulator, the agent library over real HTTP), one round of check-ins per
# concurrency level, then pgbench on the same database committing a one-row UPDATE with as many clients as
# the server's connection pool. Prints check-ins/s, p50/p99, pgbench's tps, their ratio (goal >= 0.5) and
# the server's memory before enrolling and after. Asserts nothing, not part of `mvn verify`; see
# bench/README.md. Needs curl, JDK 17, Maven and a local PostgreSQL (pgbench, `su postgres -c psql`).
# Takes the build lock (/tmp/ota-mvn.lock, the one /work/bin/mvnl takes) for the whole run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DEVICES=${DEVICES:-10000}
# The first level's round warms the server's JIT and is printed but not counted.
LEVELS=${LEVELS:-"64 16 64 128"}
PGBENCH_SECONDS=${PGBENCH_SECONDS:-20}
# server.xml configures no connectionManager, so the data source has Liberty's default pool of 50.
POOL=${POOL:-50}
PG_HOST=${PG_HOST:-127.0.0.1}
BUILD_LOCK=${BUILD_LOCK:-/tmp/ota-mvn.lock}
# When set: a Java Flight Recorder recording (settings=profile) of the server during the check-in rounds, kept there.
JFR_FILE=${JFR_FILE:-}
SERVER=ota-bench-checkins
DB=ota_bench_checkins
DB_ROLE=ota_bench_checkins
DB_PASSWORD="b$(head -c 12 /dev/urandom | base64 | tr -d '/+=')"
WORK=$(mktemp -d /tmp/ota-bench.XXXXXX)
# The simulated devices' keys and journals: each device fsyncs its journal per check-in, as a real one does
# on its own flash. On tmpfs that costs nothing, so the devices do not queue on the disk PostgreSQL's WAL uses.
FLEET_DIR=$(mktemp -d "$( [ -d /dev/shm ] && echo /dev/shm || echo /tmp )/ota-bench-fleet.XXXXXX")
PGBENCH=$(ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | sort -V | tail -n 1)
[ -x "$PGBENCH" ] || { echo "needs pgbench (Debian's postgresql package)" >&2; exit 1; }
command -v curl >/dev/null || { echo "needs curl" >&2; exit 1; }
. bench/lib-server.sh
. bench/lib-postgres.sh

SIM_PID=
exec 9>"$BUILD_LOCK"
flock 9
trap end_postgres_bench EXIT
start_postgres_server

# RSS and heap in use after a full collection, both in KiB, of the server's JVM.
memory() {
  local rss heap
  jcmd "$SERVER_PID" GC.run >/dev/null
  jcmd "$SERVER_PID" GC.run >/dev/null
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$SERVER_PID/status")
  heap=$(jcmd "$SERVER_PID" GC.heap_info | awk '{for (i = 1; i < NF; i++) if ($i == "used") {sub(/K,?$/, "", $(i + 1)); print $(i + 1); exit}}')
  echo "$rss $heap"
}

token=$(curl -sf -H "$AUTH" -H 'Content-Type: application/json' \
  -d "{\"label\":\"bench\",\"hardwareIds\":[\"lock-v2\"],\"maxUses\":$DEVICES,\"validityHours\":24,\"autoAccept\":true}" \
  "$B/portal/api/v1/enrollment-tokens" | sed 's/.*"token":"\([^"]*\)".*/\1/')
[ -n "$token" ] || { echo "no enrollment token" >&2; exit 1; }

SIM=(java -Xmx1g -cp "$ROOT/device-agent/target/test-classes:$ROOT/device-agent/target/ota-agent.jar" dev.ota.agent.sim.FleetSimulator
     --server "$B" --token "$token" --hardware lock-v2 --devices "$DEVICES" --dir "$FLEET_DIR")

mem_before=$(memory)
echo "enrolling $DEVICES devices ..."
simulate "$WORK/enroll.out" --rounds 0 --concurrency 64
mem_enrolled=$(memory)
[ -z "$JFR_FILE" ] || jcmd "$SERVER_PID" JFR.start name=checkins settings=profile filename="$JFR_FILE" >/dev/null
cpu0=$(server_cpu)
read -r busy0 idle0 <<< "$(machine_cpu)"
echo "check-ins: one round of $DEVICES per concurrency level ($LEVELS; the first is the warm-up) ..."
simulate "$WORK/checkins.out" --rounds 1 --concurrency "$(echo $LEVELS | tr ' ' ',')"
cpu1=$(server_cpu)
[ -z "$JFR_FILE" ] || jcmd "$SERVER_PID" JFR.stop name=checkins >/dev/null
read -r busy1 idle1 <<< "$(machine_cpu)"
mem_after=$(memory)
rounds=$(echo $LEVELS | wc -w)
accepted=$(psql_bench -At -c "SELECT count(*) FROM device WHERE status = 'ACCEPTED' AND last_counter = $rounds")
stop_bench_server

# pgbench: the same database, a table of its own, one row updated and committed per transaction.
psql_bench <<SQL
CREATE TABLE bench_one_row (id INTEGER PRIMARY KEY, counter BIGINT NOT NULL, at TIMESTAMP WITH TIME ZONE);
INSERT INTO bench_one_row SELECT g, 0, NULL FROM generate_series(1, $DEVICES) g;
VACUUM ANALYZE bench_one_row;
SQL
cat > "$WORK/one-row.sql" <<SQL
\set id random(1, $DEVICES)
UPDATE bench_one_row SET counter = counter + 1, at = now() WHERE id = :id;
SQL
echo "pgbench: $POOL clients, $PGBENCH_SECONDS s, one-row UPDATE per transaction ..."
PGPASSWORD="$DB_PASSWORD" "$PGBENCH" -n -M prepared -c "$POOL" -j 2 -T "$PGBENCH_SECONDS" -f "$WORK/one-row.sql" \
  -h "$PG_HOST" -U "$DB_ROLE" "$DB" > "$WORK/pgbench.out" 2>&1 || { cat "$WORK/pgbench.out"; exit 1; }
tps=$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$WORK/pgbench.out" | head -n 1)
pg_latency=$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' "$WORK/pgbench.out")

echo
echo "Check-ins (PostgreSQL $(psql_bench -At -c 'SHOW server_version'), $DEVICES devices, $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC'))"
printf '  %-32s %10s %10s %9s %9s  %s\n' "" "requests" "ok/s" "p50 ms" "p99 ms" "answers"
best=0
n=0
while IFS= read -r line; do
  n=$((n + 1))
  label=$(echo "$line" | sed -n 's/.*(concurrency \([0-9]*\)).*/concurrency \1/p')
  [ "$n" -eq 1 ] && label="$label (warm-up)"
  requests=$(echo "$line" | sed -n 's/.*: \([0-9]*\) requests in \([0-9.]*\) s.*/\1/p')
  wall=$(echo "$line" | sed -n 's/.*: \([0-9]*\) requests in \([0-9.]*\) s.*/\2/p')
  ok=$(echo "$line" | sed -n 's/.*[{ ]ok=\([0-9]*\).*/\1/p')
  p50=$(echo "$line" | sed -n 's/.*p50 \([0-9.]*\) ms.*/\1/p')
  p99=$(echo "$line" | sed -n 's/.*p99 \([0-9.]*\) ms.*/\1/p')
  answers=$(echo "$line" | sed -n 's/.*ms, \({.*}\)$/\1/p')
  rate=$(awk "BEGIN {printf \"%.0f\", ${ok:-0} / $wall}")
  printf '  %-32s %10s %10s %9s %9s  %s\n' "$label" "$requests" "$rate" "$p50" "$p99" "$answers"
  [ "$n" -gt 1 ] && [ "$rate" -gt "$best" ] && best=$rate
done < <(grep 'check-in round' "$WORK/checkins.out")
total_requests=$(grep 'check-in round' "$WORK/checkins.out" | sed -n 's/.*: \([0-9]*\) requests in.*/\1/p' | paste -sd+ | bc)
echo "  server CPU per check-in (all rounds): $(awk "BEGIN {printf \"%.0f\", ($cpu1 - $cpu0) * 1e6 / $total_requests}") us;" \
  "machine busy $(awk "BEGIN {printf \"%.0f\", 100 * ($busy1 - $busy0) / ($busy1 - $busy0 + $idle1 - $idle0)}") % of $(nproc) cores during the rounds"
echo "  devices whose last accepted counter is $rounds (one per round): $accepted of $DEVICES"
echo
echo "pgbench, same database: $POOL clients (the server's pool), $PGBENCH_SECONDS s, -M prepared, one-row UPDATE"
echo "  tps $tps, latency average $pg_latency ms"
echo "  best check-ins/s / pgbench tps = $best / $tps = $(awk "BEGIN {printf \"%.2f\", $best / $tps}")  (goal: >= 0.50)"
echo
read -r rss0 heap0 <<< "$mem_before"
read -r rss1 heap1 <<< "$mem_enrolled"
read -r rss2 heap2 <<< "$mem_after"
mib() { awk "BEGIN {printf \"%.1f\", $1 / 1024}"; }
echo "Server memory (MiB; heap = in use after a full GC, jcmd GC.heap_info; -Xmx512m)"
printf '  %-34s %8s %8s\n' "" "RSS" "heap"
printf '  %-34s %8s %8s\n' "before enrolling" "$(mib "$rss0")" "$(mib "$heap0")"
printf '  %-34s %8s %8s\n' "after enrolling $DEVICES" "$(mib "$rss1")" "$(mib "$heap1")"
printf '  %-34s %8s %8s\n' "after the check-in rounds" "$(mib "$rss2")" "$(mib "$heap2")"
printf '  %-34s %8s %8s\n' "per 10,000 devices (after - before)" \
  "$(mib $(((rss2 - rss0) * 10000 / DEVICES)))" "$(mib $(((heap2 - heap0) * 10000 / DEVICES)))"
