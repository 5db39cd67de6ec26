#!/usr/bin/env bash
# Director timestamp.json fetches against nginx (fleet.md, "Scale goals": at least half of nginx serving a file
# of the same size). A fresh server (the real EAR on H2), DEVICES (default 1,000) simulated devices enrolled and
# checked in once (dev.ota.agent.sim.FleetSimulator, the agent library over real HTTP), each device's
# timestamp.json fetched once (the director signs lazily) to learn its ETag; then wrk, rotating over the devices
# with each one's bearer token:
#   1. the poll of an unchanged director: If-None-Match with the device's ETag -> 304 (what a fleet does all day),
#      against nginx answering 304 to If-None-Match for one static file of the same size;
#   2. a full fetch (200 with the bytes), rotating over the devices, against nginx serving that file.
# Prints requests per second and the ratios; asserts nothing (bench/README.md). Needs wrk, nginx, curl (Debian
# packages), JDK 17 and Maven. Takes the build lock (BUILD_LOCK, default /tmp/ota-mvn.lock) for the run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DEVICES=${DEVICES:-1000}
DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
BUILD_LOCK=${BUILD_LOCK:-/tmp/ota-mvn.lock}
SERVER=ota-bench-director
NGINX_PORT=9082
WORK=$(mktemp -d /tmp/ota-bench.XXXXXX)
for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install wrk nginx curl)" >&2; exit 1; }
done
. bench/lib-server.sh
. bench/lib-wrk.sh

exec 9>"$BUILD_LOCK"
flock 9
cleanup() {
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  stop_bench_server
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "building the device agent and the simulator ..."
mvn -B -o -q -pl device-agent -am -DskipTests package > "$WORK/agent-build.log" 2>&1 || { tail -40 "$WORK/agent-build.log"; exit 1; }
start_bench_server

token=$(curl -sf -H "$AUTH" -H 'Content-Type: application/json' \
  -d "{\"label\":\"bench\",\"hardwareIds\":[\"lock-v2\"],\"maxUses\":$DEVICES,\"validityHours\":24,\"autoAccept\":true}" \
  "$B/portal/api/v1/enrollment-tokens" | sed 's/.*"token":"\([^"]*\)".*/\1/')
[ -n "$token" ] || { echo "no enrollment token" >&2; exit 1; }
echo "enrolling $DEVICES devices and checking each in once ..."
java -Xmx1g -cp "$ROOT/device-agent/target/test-classes:$ROOT/device-agent/target/ota-agent.jar" \
  dev.ota.agent.sim.FleetSimulator --server "$B" --token "$token" --hardware lock-v2 --devices "$DEVICES" \
  --dir "$WORK/fleet" --rounds 1 --concurrency 32 --tokens "$WORK/tokens" > "$WORK/sim.out" 2>&1 \
  || { cat "$WORK/sim.out"; exit 1; }
[ "$(wc -l < "$WORK/tokens")" -eq "$DEVICES" ] || { cat "$WORK/sim.out"; echo "not every device holds a token" >&2; exit 1; }

# Every device's first fetch: the director signs its metadata now; its ETag is what the device sends afterwards.
while read -r id bearer; do
  etag=$(curl -sf -D - -o "$WORK/timestamp.json" -H "Authorization: Bearer $bearer" \
    "$B/director/$id/metadata/timestamp.json" | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p')
  [ -n "$etag" ] || { echo "no ETag for $id" >&2; exit 1; }
  echo "$id $bearer $etag"
done < "$WORK/tokens" > "$WORK/devices"
read -r first_id first_bearer first_etag < "$WORK/devices"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $first_bearer" -H "If-None-Match: $first_etag" \
  "$B/director/$first_id/metadata/timestamp.json")
[ "$code" = 304 ] || { echo "the director answered $code, not 304, to an unchanged timestamp" >&2; exit 1; }

# wrk requests rotating over the devices; DIRECTOR_CONDITIONAL=1 sends each device's ETag.
cat > "$WORK/devices.lua" <<'LUA'
local devices = {}
for line in io.lines(os.getenv("DIRECTOR_DEVICES")) do
  local id, bearer, etag = line:match("^(%S+) (%S+) (.+)$")
  devices[#devices + 1] = {id = id, bearer = bearer, etag = etag}
end
local conditional = os.getenv("DIRECTOR_CONDITIONAL") == "1"
local i = math.random(#devices)
request = function()
  i = i % #devices + 1
  local d = devices[i]
  local headers = {["Authorization"] = "Bearer " .. d.bearer}
  if conditional then headers["If-None-Match"] = d.etag end
  return wrk.format("GET", "/director/" .. d.id .. "/metadata/timestamp.json", headers)
end
LUA
export DIRECTOR_DEVICES="$WORK/devices"

# nginx: one static file of the size of a device's timestamp.json.
mkdir -p "$WORK/www" "$WORK/nginx/logs"
cp "$WORK/timestamp.json" "$WORK/www/timestamp.json"
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
  keepalive_requests 100000;
  types { application/json json; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/www;
    etag on;
    location = /timestamp.json { add_header Cache-Control "no-cache"; }
  }
}
NGINX
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf"
sleep 1
N_URL="http://127.0.0.1:$NGINX_PORT/timestamp.json"
n_etag=$(curl -sf -D - -o /dev/null "$N_URL" | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p')
code=$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $n_etag" "$N_URL")
[ "$code" = 304 ] || { echo "nginx answered $code, not 304" >&2; exit 1; }

liberty_304() { DIRECTOR_CONDITIONAL=1 wrk_rps -s "$WORK/devices.lua" "$B"; }
liberty_200() { DIRECTOR_CONDITIONAL=0 wrk_rps -s "$WORK/devices.lua" "$B"; }
nginx_304() { wrk_rps -H "If-None-Match: $n_etag" "$N_URL"; }
nginx_200() { wrk_rps "$N_URL"; }
echo "warm-up rounds (requests per second, wrk -t$THREADS -c$CONNECTIONS -d$DURATION each):"
DIRECTOR_CONDITIONAL=1 steady "director 304, $DEVICES devices" -s "$WORK/devices.lua" "$B"
DIRECTOR_CONDITIONAL=0 steady "director 200, $DEVICES devices" -s "$WORK/devices.lua" "$B"
steady "nginx 304" -H "If-None-Match: $n_etag" "$N_URL"
steady "nginx 200" "$N_URL"
# Three measured rounds, the servers alternating, so both share whatever else the machine is doing.
l304=(); n304=(); l200=(); n200=()
for _ in 1 2 3; do
  l304+=("$(liberty_304)"); n304+=("$(nginx_304)")
  l200+=("$(liberty_200)"); n200+=("$(nginx_200)")
done
L304=$(median "${l304[@]}"); N304=$(median "${n304[@]}"); L200=$(median "${l200[@]}"); N200=$(median "${n200[@]}")

echo
echo "director timestamp.json ($(stat -c %s "$WORK/timestamp.json") bytes), $DEVICES devices, wrk -t$THREADS -c$CONNECTIONS -d$DURATION," \
  "$(nproc) cores, requests per second, median of 3 alternating rounds"
printf '  %-34s %10s %10s %7s\n' fetch director nginx ratio
printf '  %-34s %10s %10s %7s\n' "unchanged (If-None-Match -> 304)" "$L304" "$N304" "$(ratio "$L304" "$N304")"
printf '  %-34s %10s %10s %7s\n' "full (200)" "$L200" "$N200" "$(ratio "$L200" "$N200")"
echo "  rounds: director ${l304[*]} / nginx ${n304[*]} (304); director ${l200[*]} / nginx ${n200[*]} (200)"
echo "  goal (fleet.md): director / nginx >= 0.50 for the 304 poll"
