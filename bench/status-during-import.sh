#!/usr/bin/env bash
# Status reads while a bulk import publishes: GET /portal/api/v1/repository (what the portal's status
# page, operators' scripts and monitoring call) on an idle server, then again and again while one bulk
# import of IMPORT_SIZE targets (default 100,000) is read, stored and published. Prints the latencies
# side by side and their ratio; asserts nothing, not part of `mvn verify`. See bench/README.md.
# Needs curl, JDK 17 and Maven. Takes the build lock (BUILD_LOCK, default /tmp/ota-mvn.lock, the one /work/bin/mvnl
# takes) for the run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
IMPORT_SIZE=${IMPORT_SIZE:-100000}
IDLE_READS=${IDLE_READS:-50}
SERVER=ota-bench-status
WORK=$(mktemp -d /tmp/ota-bench.XXXXXX)
command -v curl >/dev/null || { echo "needs curl" >&2; exit 1; }
. bench/lib-server.sh

BUILD_LOCK=${BUILD_LOCK:-/tmp/ota-mvn.lock}
exec 9>"$BUILD_LOCK"
flock 9
trap 'stop_bench_server; rm -rf "$WORK"' EXIT
start_bench_server

status_ms() {
  curl -sf -o /dev/null -w '%{time_total}\n' -H "$AUTH" "$B/portal/api/v1/repository" | awk '{printf "%.1f\n", $1 * 1000}'
}
# median, 95th percentile and maximum of the numbers in file $1
summary() {
  sort -n "$1" | awk '{v[NR] = $1} END {printf "%7.1f %7.1f %7.1f %6d", v[int((NR + 1) / 2)], v[int(NR * 0.95 + 0.5)], v[NR], NR}'
}

for _ in $(seq 1 10); do status_ms >/dev/null; done   # warm-up: JIT, parse cache
for _ in $(seq 1 "$IDLE_READS"); do status_ms; done > "$WORK/idle.ms"

fill_tar "$WORK/import.tar" "$IMPORT_SIZE" "$IMPORT_SIZE"
curl -sf -o "$WORK/import.json" -w '%{time_total}\n' -H "$AUTH" -H 'Content-Type: application/x-tar' \
  --data-binary @"$WORK/import.tar" "$B/portal/api/v1/releases/import?version=1" > "$WORK/import.s" &
IMPORT=$!
: > "$WORK/busy.ms"
while kill -0 "$IMPORT" 2>/dev/null; do
  status_ms >> "$WORK/busy.ms"
done
wait "$IMPORT"
grep -q "\"imported\":$IMPORT_SIZE" "$WORK/import.json" || { cat "$WORK/import.json"; echo "import failed" >&2; exit 1; }
# The reads of the last moments may have come after the publish committed; all are counted.

echo
echo "GET /portal/api/v1/repository latency, ms (bulk import of $IMPORT_SIZE targets took $(cat "$WORK/import.s") s)"
printf '  %-26s %7s %7s %7s %6s\n' "" median p95 max reads
printf '  %-26s %s\n' "idle server" "$(summary "$WORK/idle.ms")"
printf '  %-26s %s\n' "during the bulk import" "$(summary "$WORK/busy.ms")"
idle_median=$(summary "$WORK/idle.ms" | awk '{print $1}')
busy_median=$(summary "$WORK/busy.ms" | awk '{print $1}')
echo "  median during import / idle: $(awk "BEGIN {printf \"%.2f\", $busy_median / $idle_median}")"
