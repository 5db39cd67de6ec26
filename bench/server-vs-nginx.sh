#!/usr/bin/env bash
# Serving and publishing figures for the OTA server; prints numbers, asserts nothing, not part of
# `mvn verify`. See bench/README.md ("server-vs-nginx.sh").
#   1. wrk against timestamp.json and a 1 MiB target, served by Liberty (the real EAR on H2) and by
#      nginx (the same bytes, same machine, one run): requests per second and the ratio.
#   2. Publish latency for one more target (upload through the API, publish, answer), into a
#      repository already holding N targets (PUBLISH_SIZES, default "1000 100000"; PUBLISH_RUNS
#      single-target publishes per size, default 9), the repository filled by one bulk import
#      (POST /portal/api/v1/releases/import) per size, whose time is printed too.
# Needs: wrk, nginx, curl (Debian packages), JDK 17 and Maven. Takes the build lock (BUILD_LOCK, default
# /tmp/ota-mvn.lock, the one builds on this machine take) for the run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
PUBLISH_SIZES=${PUBLISH_SIZES:-1000 100000}
PUBLISH_RUNS=${PUBLISH_RUNS:-9}
SERVER=ota-bench
PORT=9080
NGINX_PORT=9082
WORK=$(mktemp -d /tmp/ota-bench.XXXXXX)
for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install wrk nginx curl)" >&2; exit 1; }
done
. bench/lib-server.sh
. bench/lib-wrk.sh

BUILD_LOCK=${BUILD_LOCK:-/tmp/ota-mvn.lock}
exec 9>"$BUILD_LOCK"
flock 9
cleanup() {
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  stop_bench_server
  rm -rf "$WORK"
}
trap cleanup EXIT

start_bench_server

head -c 1048576 /dev/urandom > "$WORK/target-1mib.bin"
SHA=$(sha256sum "$WORK/target-1mib.bin" | cut -d' ' -f1)
curl -sf -o /dev/null -H "$AUTH" -H 'Content-Type: application/octet-stream' --data-binary @"$WORK/target-1mib.bin" \
  "$B/portal/api/v1/releases?path=bench/target-1mib.bin&version=1"

# nginx serves exactly the bytes Liberty serves, under the same paths.
mkdir -p "$WORK/www/metadata" "$WORK/www/targets/bench" "$WORK/nginx/logs"
curl -sf -o "$WORK/www/metadata/timestamp.json" "$B/metadata/timestamp.json"
curl -sf -o "$WORK/www/targets/bench/$SHA.target-1mib.bin" "$B/targets/bench/$SHA.target-1mib.bin"
cmp "$WORK/www/targets/bench/$SHA.target-1mib.bin" "$WORK/target-1mib.bin"
# nginx workers run as an unprivileged user: let them read the document root.
chmod a+x "$WORK"
chmod -R a+rX "$WORK/www"
cat > "$WORK/nginx/nginx.conf" <<NGINX
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/nginx/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  default_type application/octet-stream;
  types { application/json json; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/www;
    etag on;
    location = /metadata/timestamp.json { add_header Cache-Control "public, max-age=5"; }
    location /targets/ { add_header Cache-Control "public, max-age=31536000, immutable"; }
  }
}
NGINX
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf"
sleep 1
# Both must answer 200 with identical bytes, or the comparison means nothing.
for path in "metadata/timestamp.json" "targets/bench/$SHA.target-1mib.bin"; do
  curl -sf "$B/$path" -o "$WORK/from-liberty"
  curl -sf "http://127.0.0.1:$NGINX_PORT/$path" -o "$WORK/from-nginx"
  cmp "$WORK/from-liberty" "$WORK/from-nginx"
done

L_TS_URL="$B/metadata/timestamp.json"
N_TS_URL="http://127.0.0.1:$NGINX_PORT/metadata/timestamp.json"
L_T_URL="$B/targets/bench/$SHA.target-1mib.bin"
N_T_URL="http://127.0.0.1:$NGINX_PORT/targets/bench/$SHA.target-1mib.bin"
echo "warm-up rounds (requests per second, wrk -t$THREADS -c$CONNECTIONS -d$DURATION each):"
steady "liberty timestamp.json" "$L_TS_URL"
steady "liberty 1 MiB target" "$L_T_URL"
steady "nginx timestamp.json" "$N_TS_URL"
steady "nginx 1 MiB target" "$N_T_URL"
# Three measured rounds, the servers alternating, so both share whatever else the machine is doing; the
# median of each is reported.
l_ts=(); n_ts=(); l_t=(); n_t=()
for _ in 1 2 3; do
  l_ts+=("$(wrk_rps "$L_TS_URL")"); n_ts+=("$(wrk_rps "$N_TS_URL")")
  l_t+=("$(wrk_rps "$L_T_URL")"); n_t+=("$(wrk_rps "$N_T_URL")")
done
L_TS=$(median "${l_ts[@]}"); N_TS=$(median "${n_ts[@]}"); L_T=$(median "${l_t[@]}"); N_T=$(median "${n_t[@]}")

echo
echo "serving (wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $(nproc) cores, requests per second, median of 3 alternating rounds)"
printf '  %-22s %12s %12s %8s\n' file liberty nginx ratio
printf '  %-22s %12s %12s %8s\n' timestamp.json "$L_TS" "$N_TS" "$(awk "BEGIN {printf \"%.2f\", $L_TS/$N_TS}")"
printf '  %-22s %12s %12s %8s\n' "1 MiB target" "$L_T" "$N_T" "$(awk "BEGIN {printf \"%.2f\", $L_T/$N_T}")"
echo "  rounds: liberty ${l_ts[*]} / nginx ${n_ts[*]} (timestamp.json); liberty ${l_t[*]} / nginx ${n_t[*]} (target)"

echo
echo "publish latency for one more target (upload through the API + publish; $PUBLISH_RUNS runs per size)"
# The repository is filled with one bulk import per size (a tar of 64-byte files, one publish);
# building 100,000 targets one upload at a time would take hours and measure nothing new.
listed=1
for size in $PUBLISH_SIZES; do
  missing=$((size - listed))
  if [ "$missing" -gt 0 ]; then
    fill_tar "$WORK/fill-$size.tar" "$missing" "$size"
    import_s=$(curl -sf -o "$WORK/import.json" -w '%{time_total}' -H "$AUTH" -H 'Content-Type: application/x-tar' \
      --data-binary @"$WORK/fill-$size.tar" "$B/portal/api/v1/releases/import?version=1")
    grep -q "\"imported\":$missing" "$WORK/import.json" || { cat "$WORK/import.json"; echo "import failed" >&2; exit 1; }
    printf '  bulk import of %d targets (%s MiB tar): %.1f s\n' "$missing" \
      "$(( $(stat -c %s "$WORK/fill-$size.tar") / 1048576 ))" "$import_s"
    rm -f "$WORK/fill-$size.tar"
    listed=$size
  fi
  times=()
  for i in $(seq 1 "$PUBLISH_RUNS"); do
    head -c 1024 /dev/urandom > "$WORK/one.bin"
    times+=("$(curl -sf -o /dev/null -w '%{time_total}' -H "$AUTH" -H 'Content-Type: application/octet-stream' \
      --data-binary @"$WORK/one.bin" "$B/portal/api/v1/releases?path=measure/$size/m$i.bin&version=1")")
    listed=$((listed + 1))
  done
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  median=$(echo "$sorted" | sed -n "$(( (PUBLISH_RUNS + 1) / 2 ))p")
  printf '  %7d targets listed: median %4.0f ms, min %4.0f ms, max %4.0f ms (runs: %s s)\n' "$size" \
    "$(awk "BEGIN {print $median*1000}")" "$(awk "BEGIN {print $(echo "$sorted" | head -1)*1000}")" \
    "$(awk "BEGIN {print $(echo "$sorted" | tail -1)*1000}")" "${times[*]}"
done
