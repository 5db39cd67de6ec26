# Sourced by the server benchmarks: builds and starts a fresh Liberty server "$SERVER" (the real EAR) on
# port 9080, on H2 unless the environment names another database (OTA_DB, OTA_DB_URL, ...: README),
# replaces the one-time password and issues an API token. Sets B (base URL) and AUTH (a curl header);
# stop_bench_server stops it (the scripts call it on exit). Needs ROOT, SERVER and WORK set, JDK 17, Maven and curl.
WLP="$ROOT/liberty-config/target/liberty/wlp"
B=http://127.0.0.1:9080

stop_bench_server() {
  [ -x "$WLP/bin/server" ] && "$WLP/bin/server" stop "$SERVER" >/dev/null 2>&1 || true
}

start_bench_server() {
  echo "building and starting Liberty server '$SERVER' (fresh repository) ..."
  rm -rf "$WLP/usr/servers/$SERVER"
  # liberty:run visits every module of the reactor; naming the runtime the server uses keeps the parent from
  # asking for another (openliberty-kernel), which an offline build cannot resolve.
  mvn -B -o -pl liberty-config -am -DskipTests -Dliberty.runtime.artifactId=openliberty-runtime -Dota.server.name="$SERVER" package liberty:run > "$WORK/liberty.log" 2>&1 &
  for _ in $(seq 1 180); do
    grep -q "CWWKF0011I\|BUILD FAILURE" "$WORK/liberty.log" && break
    sleep 2
  done
  grep -q "CWWKF0011I" "$WORK/liberty.log" || { tail -40 "$WORK/liberty.log"; echo "server did not start" >&2; exit 1; }
  local data="$WLP/usr/servers/$SERVER/data" p pw token
  p=$(cat "$data/initial-admin-password")
  pw="bench-$(head -c 12 /dev/urandom | base64 | tr -d '/+=')"
  curl -sf -u "admin:$p" -H 'Content-Type: application/json' -d "{\"current\":\"$p\",\"next\":\"$pw\"}" \
    "$B/portal/api/v1/account/password"
  token=$(curl -sf -u "admin:$pw" -H 'Content-Type: application/json' -d '{"label":"bench"}' \
    "$B/portal/api/v1/tokens" | sed 's/.*"token":"\([^"]*\)".*/\1/')
  AUTH="Authorization: Bearer $token"
}

# A tar of $2 files of 64 random bytes under fill/$3/ at $1, for one bulk import.
fill_tar() {
  local dir="$WORK/fill-$3"
  mkdir -p "$dir/fill/$3"
  head -c $(($2 * 64)) /dev/urandom | split -b 64 -a 7 -d - "$dir/fill/$3/t"
  tar -C "$dir" -cf "$1" fill
  rm -rf "$dir"
}
