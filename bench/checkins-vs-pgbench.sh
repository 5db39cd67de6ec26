#!/usr/bin/env bash
# Signed check-ins against PostgreSQL's own one-row-update rate (issue 11, fleet.md "Scale goals"): a fresh
# server on a fresh PostgreSQL database, DEVICES (default 10,000) simulated devices enrolled with one token
# (dev.ota.agent.sim.FleetSimulator, the agent library over real HTTP), one round of check-ins per
# concurrency level, then pgbench on the same database committing a one-row UPDATE with as many clients as
# the server's connection pool. Prints check-ins/s, p50/p99, pgbench's tps, their ratio (goal >= 0.5) and
# the server's memory before enrolling and after. Then an open loop: check-ins started at a fixed RATE (default
# 333/s, fleet.md's 100k devices every 300 s) for DURATION s, latency from each one's due time, against the goal
# p99 < 50 ms (RATE=0 leaves it out). Asserts nothing, not part of `mvn verify`; see
# bench/README.md. Needs curl, JDK 17, Maven and a local PostgreSQL (pgbench, `su postgres -c psql`).
# Takes the build lock (/tmp/ota-mvn.lock, the one /work/bin/mvnl takes) for the whole run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DEVICES=${DEVICES:-10000}
# The first level's round warms the server's JIT and is printed but not counted.
LEVELS=${LEVELS:-"64 16 64 128"}
PGBENCH_SECONDS=${PGBENCH_SECONDS:-20}
# The open loop (after the closed rounds, in a simulator run of its own): check-ins started per second, seconds
# measured, and seconds at the same rate before them that warm the simulator's JVM and are not counted.
RATE=${RATE:-333}
DURATION=${DURATION:-60}
WARMUP=${WARMUP:-10}
# When set: the open loop's latencies, one line per check-in (due time and latency in ms), are kept there.
LATENCIES_FILE=${LATENCIES_FILE:-}
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

# The server's young and full collections so far: count and seconds (jstat -gc).
server_gc() {
  jstat -gc "$SERVER_PID" | awk 'NR == 1 {for (i = 1; i <= NF; i++) h[$i] = i}
    NR == 2 {printf "%d %.3f", $h["YGC"] + $h["FGC"], $h["YGCT"] + $h["FGCT"]}'
}

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
if [ "$RATE" != 0 ]; then
  echo "open loop: $RATE check-ins/s for $DURATION s after $WARMUP s of warm-up at that rate ..."
  cpu2=$(server_cpu)
  read -r busy2 idle2 <<< "$(machine_cpu)"
  read -r gcs2 gct2 <<< "$(server_gc)"
  simulate "$WORK/open-loop.out" --rounds 0 --rate "$RATE" --duration "$DURATION" --warmup "$WARMUP" \
    ${LATENCIES_FILE:+--latencies "$LATENCIES_FILE"}
  cpu3=$(server_cpu)
  read -r busy3 idle3 <<< "$(machine_cpu)"
  read -r gcs3 gct3 <<< "$(server_gc)"
  advanced=$(psql_bench -At -c "SELECT coalesce(sum(last_counter - $rounds), 0) FROM device WHERE status = 'ACCEPTED'")
fi
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
if [ "$RATE" != 0 ]; then
  line=$(grep '^fleet-simulator: open loop' "$WORK/open-loop.out")
  warm=$(grep '^fleet-simulator: warm-up, open loop' "$WORK/open-loop.out" || true)
  field() { echo "$line" | sed -n "s|.*$1.*|\1|p"; }
  requests=$(field ': \([0-9]*\) requests,')
  warm_requests=$(echo "$warm" | sed -n 's/.*: \([0-9]*\) requests,.*/\1/p')
  warm_requests=${warm_requests:-0}
  p99=$(field 'p99 \([0-9.]*\) ms')
  echo "Open loop (fleet.md: p99 under 50 ms at 333 check-ins/s): check-ins started at $RATE/s for $DURATION s whatever the"
  echo "answers take, latency from each one's due time; after $WARMUP s at the same rate (not counted: $warm_requests check-ins)"
  printf '  %8s %8s %8s %8s %8s %8s %8s %8s  %s\n' "due" "sent/s" "ok/s" "p50 ms" "p95 ms" "p99 ms" "max ms" "not 200" "answers"
  printf '  %8s %8s %8s %8s %8s %8s %8s %8s  %s\n' "$requests" "$(field 'sent at \([0-9.]*\)/s')" "$(field '(\([0-9.]*\) ok/s)')" \
    "$(field 'p50 \([0-9.]*\) ms')" "$(field 'p95 \([0-9.]*\) ms')" "$p99" "$(field 'max \([0-9.]*\) ms;')" \
    "$(field ', \([0-9]*\) not ok')" "$(field 'in flight, \({.*}\)')"
  echo "  p99 $p99 ms against the goal of under 50 ms: $(awk "BEGIN {print ($p99 < 50) ? \"met\" : \"missed\"}")"
  echo "  simulator: sends late by at most $(field 'late by at most \([0-9.]*\) ms') ms, at most $(field 'at most \([0-9]*\) in flight') in flight"
  sim_cpu=$(sed -n 's/.*this process in all: CPU \([0-9.]*\) s, .*/\1/p' "$WORK/open-loop.out")
  all=$((requests + warm_requests))
  per() { awk "BEGIN {printf \"%.0f\", ($1) * 1e6 / $all}"; }
  echo "  CPU per check-in over the simulator's whole run (start, warm-up and measured; machine busy" \
    "$(awk "BEGIN {printf \"%.0f\", 100 * ($busy3 - $busy2) / ($busy3 - $busy2 + $idle3 - $idle2)}") % of $(nproc) cores):"
  echo "    server $(per "$cpu3 - $cpu2") us, simulator $(per "$sim_cpu") us," \
    "the rest (PostgreSQL, other processes) $(per "$busy3 - $busy2 - ($cpu3 - $cpu2) - $sim_cpu") us"
  echo "  server collections (young and full): $((gcs3 - gcs2)), $(awk "BEGIN {printf \"%.0f\", ($gct3 - $gct2) * 1000}") ms in all;" \
    "simulator: $(sed -n 's/.*this process in all: CPU [0-9.]* s, \(.*\)/\1/p' "$WORK/open-loop.out") (its whole run)"
  echo "  counters the server accepted in the open loop: $advanced of $((requests + warm_requests)) check-ins sent (equal when all were 200)"
  echo
fi
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
