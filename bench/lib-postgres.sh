# Sourced by the benchmarks on PostgreSQL with simulated devices (checkins-vs-pgbench.sh, rollout-scale.sh): a role
# DB_ROLE and a database DB it owns, made fresh for the run with password DB_PASSWORD and dropped again, a server on
# it, and the fleet simulator. The caller sets DB, DB_ROLE, DB_PASSWORD, PG_HOST, ROOT, WORK, SERVER and sources
# lib-server.sh first. Needs Debian's postgresql (`su postgres -c psql`).
psql_admin() { su postgres -c "psql -q -X -v ON_ERROR_STOP=1 $*"; }
psql_bench() { PGPASSWORD="$DB_PASSWORD" psql -q -X -v ON_ERROR_STOP=1 -h "$PG_HOST" -U "$DB_ROLE" -d "$DB" "$@"; }
drop_database() {
  psql_admin >/dev/null 2>&1 <<SQL || true
DROP DATABASE IF EXISTS $DB WITH (FORCE);
DROP ROLE IF EXISTS $DB_ROLE;
SQL
}

# A fresh database, the device agent and its simulator built, and a fresh server on the database; sets SERVER_PID.
start_postgres_server() {
  drop_database
  psql_admin <<SQL
CREATE ROLE $DB_ROLE LOGIN PASSWORD '$DB_PASSWORD';
CREATE DATABASE $DB OWNER $DB_ROLE;
SQL
  export OTA_DB=postgresql OTA_DB_URL="jdbc:postgresql://$PG_HOST:5432/$DB" OTA_DB_USER=$DB_ROLE OTA_DB_PASSWORD=$DB_PASSWORD
  echo "building the device agent and the simulator ..."
  mvn -B -o -q -pl device-agent -am -DskipTests package > "$WORK/agent-build.log" 2>&1 || { tail -40 "$WORK/agent-build.log"; exit 1; }
  start_bench_server
  SERVER_PID=$(pgrep -n -f "ws-server\.jar $SERVER" || true)
  [ -n "$SERVER_PID" ] || { echo "cannot find the server's process" >&2; exit 1; }
}

# CPU seconds of the server process, and of the whole machine (busy, idle).
server_cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$SERVER_PID/stat"; }
machine_cpu() { awk -v hz="$(getconf CLK_TCK)" '/^cpu / {printf "%.2f %.2f", ($2 + $3 + $4 + $7 + $8) / hz, ($5 + $6) / hz}' /proc/stat; }

# simulate OUT ARGS...: one run of the fleet simulator (the SIM command line the caller set), its output in OUT and on
# stdout; SIM_PID while it runs, so the caller's clean-up can end it.
simulate() {
  local out=$1
  shift
  "${SIM[@]}" "$@" > "$out" 2>&1 &
  SIM_PID=$!
  wait "$SIM_PID" || { cat "$out"; echo "simulator failed" >&2; exit 1; }
  SIM_PID=
  cat "$out"
}

# The caller's clean-up on exit: ends a running simulator, stops the server, drops the database, deletes the folders.
end_postgres_bench() {
  [ -n "${SIM_PID:-}" ] && kill "$SIM_PID" 2>/dev/null || true
  stop_bench_server
  drop_database
  rm -rf "$WORK" "$FLEET_DIR"
}
