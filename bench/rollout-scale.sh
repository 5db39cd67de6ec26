#!/usr/bin/env bash
# A rollout over DEVICES simulated devices on PostgreSQL (issue 13, fleet.md "Scale goals": planning plus signing
# every device's director metadata under 10 s of CPU). A fresh server on a fresh database, DEVICES (default
# 100,000) devices enrolled over HTTP by dev.ota.agent.sim.FleetSimulator (the agent library), one release, and one
# rollout (canary CANARY, then the waves WAVES, successPct SUCCESS_PCT, no soak) made by one release manager and
# approved by another through the management API. Measured, the server's CPU from /proc/<pid>/stat:
#   1. start: planning (an action row per device) and signing the canary's orders, in the start call;
#   2. the canary reports SUCCEEDED, then SUCCESS_PCT % of each wave; the next scheduler tick each time starts the
#      next wave and signs its targets, snapshot and timestamp per device (Rollouts.orderScheduled ->
#      Director.assignForRollout: in batches of OTA_ROLLOUT_ORDER_BATCH devices, each its own transaction), timed
#      until no member of the wave is left SCHEDULED;
#   3. ticks at the open actions of the devices that did not report (wall times from the scheduled_job row
#      'rollout.tick');
#   4. check-ins per second while the rollout runs, each device with an open action carrying a SUCCEEDED report.
# Prints figures, asserts nothing (bench/README.md). Needs curl, jq, JDK 17, Maven and a local PostgreSQL
# (`su postgres -c psql`). Takes the build lock (/tmp/ota-mvn.lock, the one /work/bin/mvnl takes) for the run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DEVICES=${DEVICES:-100000}
CANARY=${CANARY:-20}
# The waves after the canary in cumulative percent of the rest, and the share of a wave that must succeed before the
# next starts (the rollout's successPct; soak 0). Devices beyond that share do not report, so their actions stay open.
WAVES=${WAVES:-100}
SUCCESS_PCT=${SUCCESS_PCT:-100}
N_WAVES=$(echo $WAVES | wc -w)
# Requests in flight at once for enrollment and check-ins.
CONCURRENCY=${CONCURRENCY:-64}
# A check-in round before the rollout: the rate to compare with, and the JIT warmed on the check-in path.
BASELINE=${BASELINE:-1}
TICK_SECONDS=${TICK_SECONDS:-5}
# How long ticks over the open actions are watched (phase 3), and the longest wait for the wave to be signed and
# for the rollout to end.
OBSERVE_SECONDS=${OBSERVE_SECONDS:-40}
WAIT_SECONDS=${WAIT_SECONDS:-600}
# When set: a Java Flight Recorder recording (JFR_SETTINGS, default: 20 ms samples; profile: 10 ms) of the server from the canary's reports until wave 1
# is signed (phase 2), kept there; its CPU figure then includes the recorder's cost.
JFR_FILE=${JFR_FILE:-}
# When set: the scheduler's sampled job rows (ticks.log) are copied there at the end.
TICKS_LOG=${TICKS_LOG:-}
# When 1: instead of the check-ins of phase 4, the rollout is cancelled at its open actions, and the cancel call and
# the withdrawal of every open order (an empty signed assignment each, in batches) are measured.
CANCEL=${CANCEL:-0}
PG_HOST=${PG_HOST:-127.0.0.1}
BUILD_LOCK=${BUILD_LOCK:-/tmp/ota-mvn.lock}
SERVER=ota-bench-rollout
DB=ota_bench_rollout
DB_ROLE=ota_bench_rollout
DB_PASSWORD="b$(head -c 12 /dev/urandom | base64 | tr -d '/+=')"
WORK=$(mktemp -d /tmp/ota-bench.XXXXXX)
# Device keys and journals on tmpfs, as in checkins-vs-pgbench.sh: the devices' fsyncs do not queue on the WAL's disk.
FLEET_DIR=$(mktemp -d "$( [ -d /dev/shm ] && echo /dev/shm || echo /tmp )/ota-bench-fleet.XXXXXX")
for tool in curl jq psql; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }
done
. bench/lib-server.sh
. bench/lib-postgres.sh

SIM_PID=
SAMPLER_PID=
cleanup() {
  [ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null || true
  [ -n "$TICKS_LOG" ] && [ -f "$WORK/ticks.log" ] && cp "$WORK/ticks.log" "$TICKS_LOG" || true
  end_postgres_bench
}

exec 9>"$BUILD_LOCK"
flock 9
trap cleanup EXIT
echo "rollout-scale: $DEVICES devices, canary $CANARY, waves $WAVES (cumulative %), success $SUCCESS_PCT %, tick every $TICK_SECONDS s; $(date -u '+%Y-%m-%d %H:%M:%S UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"

export OTA_ROLLOUT_TICK_SECONDS=$TICK_SECONDS
start_postgres_server

now() { date +%s.%N; }
sub() { awk "BEGIN {printf \"%.2f\", $1 - $2}"; }
files() { psql_bench -At -c "SELECT count(*) FROM director_file"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# The scheduler's runs, from the job row it writes at each start and end: "started succeeded failed failure" in
# epoch seconds, sampled twice a second into ticks.log for the whole run (the phases pick theirs by start time).
(
  while :; do
    psql_bench -At -F' ' -c "SELECT extract(epoch FROM last_started_at), extract(epoch FROM last_succeeded_at),
      coalesce(extract(epoch FROM last_failed_at), 0), coalesce(replace(last_failure, ' ', '_'), '-')
      FROM scheduled_job WHERE name = 'rollout.tick'" 2>/dev/null || true
    sleep 0.5
  done > "$WORK/ticks.log"
) &
SAMPLER_PID=$!
# ticks FROM TO: the runs that started in [FROM, TO) and finished: "duration_s" per line, in start order.
ticks() {
  awk -v from="$1" -v to="$2" '$1 >= from && $1 < to && $2 >= $1 && !seen[$1]++ {printf "%.3f\n", $2 - $1}' "$WORK/ticks.log"
}
failed_ticks() {
  awk -v from="$1" -v to="$2" '$3 >= from && $3 < to && !seen[$3]++ {print $4}' "$WORK/ticks.log"
}
tick_summary() {
  local d
  d=$(ticks "$1" "$2" | paste -sd' ')
  echo "${d:-none finished}; $(ticks "$1" "$2" | wc -l) tick(s)$( [ -n "$(failed_ticks "$1" "$2")" ] && echo ", FAILED: $(failed_ticks "$1" "$2" | paste -sd' ')")"
}

# A release the rollout orders, listed for the fleet's hardware with release counter 2.
head -c 4096 /dev/urandom > "$WORK/fw.bin"
curl -sf -H "$AUTH" -H 'Content-Type: application/octet-stream' --data-binary "@$WORK/fw.bin" \
  "$B/portal/api/v1/releases?path=bench-fw/2.0.bin&version=2.0&hardwareId=lock-v2&releaseCounter=2" > /dev/null

# Two release managers: one makes the rollout, the other approves it (four eyes).
release_manager() {
  local otp pw
  otp=$(curl -sf -H "$AUTH" -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"roles\":[\"release-manager\"]}" \
    "$B/portal/api/v1/accounts" | jq -r .oneTimePassword)
  pw="$1-$(head -c 12 /dev/urandom | base64 | tr -d '/+=')"
  curl -sf -u "$1:$otp" -H 'Content-Type: application/json' -d "{\"current\":\"$otp\",\"next\":\"$pw\"}" \
    "$B/portal/api/v1/account/password"
  echo "$1:$pw"
}
RM_A=$(release_manager bench-rm-a)
RM_B=$(release_manager bench-rm-b)

token=$(curl -sf -H "$AUTH" -H 'Content-Type: application/json' \
  -d "{\"label\":\"bench\",\"hardwareIds\":[\"lock-v2\"],\"maxUses\":$DEVICES,\"validityHours\":24,\"autoAccept\":true}" \
  "$B/portal/api/v1/enrollment-tokens" | jq -r .token)
SIM=(java -Xmx2g -cp "$ROOT/device-agent/target/test-classes:$ROOT/device-agent/target/ota-agent.jar" dev.ota.agent.sim.FleetSimulator
     --server "$B" --token "$token" --hardware lock-v2 --devices "$DEVICES" --dir "$FLEET_DIR")

echo "0. enrolling $DEVICES devices over HTTP (load average $(load)) ..."
simulate "$WORK/enroll.out" --rounds 0 --concurrency "$CONCURRENCY"
if [ "$BASELINE" = 1 ]; then
  echo "   one check-in round before the rollout (load average $(load)) ..."
  simulate "$WORK/baseline.out" --rounds 1 --concurrency "$CONCURRENCY"
fi

rollout=$(curl -sf -u "$RM_A" -H 'Content-Type: application/json' -d "{\"name\":\"bench $DEVICES\",\"targetPath\":\"bench-fw/2.0.bin\",
  \"filter\":{\"hardwareId\":\"lock-v2\"},\"canary\":$CANARY,\"waves\":[$(echo $WAVES | tr ' ' ',')],\"successPct\":$SUCCESS_PCT,\"soakMinutes\":0}" \
  "$B/portal/api/v1/rollouts" | jq -r .id)
curl -sf -u "$RM_A" -X POST "$B/portal/api/v1/rollouts/$rollout/submit" > /dev/null
curl -sf -u "$RM_B" -X POST "$B/portal/api/v1/rollouts/$rollout/approve" > /dev/null
state() { curl -sf -H "$AUTH" "$B/portal/api/v1/rollouts/$rollout"; }
actions() { psql_bench -At -F' ' -c "SELECT state, count(*) FROM rollout_action WHERE rollout_id = '$rollout' GROUP BY state ORDER BY state" | paste -sd' '; }

echo "1. start: planning $DEVICES devices into waves, signing the canary's orders (load average $(load)) ..."
files0=$(files); cpu0=$(server_cpu); t0=$(now)
start_wall=$(curl -sf -u "$RM_A" -X POST -o "$WORK/start.json" -w '%{time_total}' "$B/portal/api/v1/rollouts/$rollout/start")
cpu1=$(server_cpu); t1=$(now); files1=$(files)
jq -c '{state, waves: [.waves[] | {state, members}]}' "$WORK/start.json" | sed 's/^/   /'
START_CPU=$(sub "$cpu1" "$cpu0")
echo "   start call: $start_wall s wall, server CPU $START_CPU s; director files signed: $((files1 - files0)); actions: $(actions)"

echo "2. each wave's first $SUCCESS_PCT % report SUCCEEDED (the canary's all); the next tick signs the next wave (load average $(load)) ..."
# report WAVE PERCENT: the first PERCENT % (rounded up) of the wave's ordered devices report SUCCEEDED; the rest stay open.
report() {
  local members n
  members=$(psql_bench -At -c "SELECT count(*) FROM rollout_action WHERE rollout_id = '$rollout' AND wave_index = $1 AND action_id IS NOT NULL")
  n=$(( (members * $2 + 99) / 100 ))
  psql_bench -At -F' ' -c "SELECT device_id, action_id FROM rollout_action WHERE rollout_id = '$rollout' AND wave_index = $1
    AND action_id IS NOT NULL ORDER BY device_id LIMIT $n" > "$WORK/report-$1.txt"
  simulate "$WORK/report-$1.out" --rounds 1 --concurrency 8 --succeeded "$WORK/report-$1.txt" --only-listed true | grep 'check-in round'
}
[ -z "$JFR_FILE" ] || jcmd "$SERVER_PID" JFR.start name=wave settings=${JFR_SETTINGS:-default} filename="$JFR_FILE" >/dev/null
cpu2=$(server_cpu); t2=$(now)
signed=yes
for w in $(seq 1 "$N_WAVES"); do
  if [ "$w" -eq 1 ]; then report 0 100; else report $((w - 1)) "$SUCCESS_PCT"; fi
  active=no
  for _ in $(seq 1 "$WAIT_SECONDS"); do
    # Active, and every member ordered: the tick starts the wave, then orders it batch by batch (Rollouts.orderScheduled).
    if [ "$(state | jq -r ".waves[$w].state")" = ACTIVE ] && [ "$(psql_bench -At -c "SELECT count(*) FROM rollout_action
        WHERE rollout_id = '$rollout' AND wave_index = $w AND state = 'SCHEDULED'")" = 0 ]; then active=yes; break; fi
    sleep 1
  done
  echo "   wave $w active: $active at +$(sub "$(now)" "$t2") s, server CPU so far $(sub "$(server_cpu)" "$cpu2") s, director files signed so far: $(( $(files) - files1 ))"
  [ "$active" = yes ] || { signed=no; break; }
done
cpu3=$(server_cpu); t3=$(now); files3=$(files)
[ -z "$JFR_FILE" ] || jcmd "$SERVER_PID" JFR.stop name=wave >/dev/null
WAVE_CPU=$(sub "$cpu3" "$cpu2")
SIGNED_DEVICES=$(( (files3 - files1) / 3 ))
echo "   every wave active: $signed after $(sub "$t3" "$t2") s wall, server CPU $WAVE_CPU s; director files signed: $((files3 - files1))" \
  "($SIGNED_DEVICES devices x targets, snapshot, timestamp)"
echo "   actions: $(actions)"
[ "$signed" = yes ] || { grep -i "rollout\|WTRN0006W\|tick failed" "$WLP/usr/servers/$SERVER/logs/messages.log" | cut -c1-400 | tail -20; exit 1; }
wave1=$(psql_bench -At -c "SELECT count(*) FROM rollout_action WHERE rollout_id = '$rollout' AND action_id IS NOT NULL AND state = 'ASSIGNED'")

echo "3. ticks at $wave1 open actions, watched for $OBSERVE_SECONDS s (load average $(load)) ..."
cpu4=$(server_cpu); t4=$(now); read -r busy4 idle4 <<< "$(machine_cpu)"
sleep "$OBSERVE_SECONDS"
cpu5=$(server_cpu); t5=$(now); read -r busy5 idle5 <<< "$(machine_cpu)"
n_ticks=$(ticks "$t4" "$t5" | wc -l)
echo "   server CPU $(sub "$cpu5" "$cpu4") s in $(sub "$t5" "$t4") s (about $(awk "BEGIN {printf \"%.2f\", ($cpu5 - $cpu4) / ($n_ticks > 0 ? $n_ticks : 1)}") s per tick, idle server otherwise);" \
  "machine busy $(awk "BEGIN {printf \"%.0f\", 100 * ($busy5 - $busy4) / ($busy5 - $busy4 + $idle5 - $idle4)}") %"

if [ "$CANCEL" = 1 ]; then
  echo "4. cancel at $wave1 open actions: the call withdraws one batch, the scheduler the rest (load average $(load)) ..."
  cpu6=$(server_cpu); t6=$(now); files6=$(files)
  cancel_wall=$(curl -sf -u "$RM_A" -X POST -o "$WORK/cancel.json" -w '%{time_total}' "$B/portal/api/v1/rollouts/$rollout/cancel")
  cpu7=$(server_cpu)
  echo "   cancel call: $cancel_wall s wall, server CPU $(sub "$cpu7" "$cpu6") s, rollout $(jq -r .state "$WORK/cancel.json")"
  left=unknown
  for _ in $(seq 1 "$WAIT_SECONDS"); do
    left=$(psql_bench -At -c "SELECT count(*) FROM rollout_action WHERE rollout_id = '$rollout' AND state = 'WITHDRAWING'")
    [ "$left" = 0 ] && break
    sleep 1
  done
  t8=$(now); cpu8=$(server_cpu); files8=$(files)
  echo "   every order withdrawn: $([ "$left" = 0 ] && echo yes || echo "no, $left left") after $(sub "$t8" "$t6") s wall," \
    "server CPU $(sub "$cpu8" "$cpu6") s ($(awk "BEGIN {printf \"%.2f\", ($cpu8 - $cpu6) * 1000 / ($wave1 > 0 ? $wave1 : 1)}") ms per order)," \
    "director files signed $((files8 - files6))"
  echo "   scheduler runs while withdrawing: $(tick_summary "$t6" "$t8")"
  echo "   actions: $(actions)"
  exit 0
fi

echo "4. check-ins during the rollout: every device with an open action checks in once with a SUCCEEDED report (load average $(load)) ..."
psql_bench -At -F' ' -c "SELECT device_id, action_id FROM rollout_action WHERE rollout_id = '$rollout' AND action_id IS NOT NULL
  AND state = 'ASSIGNED'" > "$WORK/wave1.txt"
cpu6=$(server_cpu); t6=$(now); read -r busy6 idle6 <<< "$(machine_cpu)"
simulate "$WORK/during.out" --rounds 1 --concurrency "$CONCURRENCY" --succeeded "$WORK/wave1.txt" --only-listed true
cpu7=$(server_cpu); t7=$(now); read -r busy7 idle7 <<< "$(machine_cpu)"
during=$(grep 'check-in round' "$WORK/during.out" | sed 's/.*check-in round [0-9]* //')
echo "   server CPU $(sub "$cpu7" "$cpu6") s; machine busy $(awk "BEGIN {printf \"%.0f\", 100 * ($busy7 - $busy6) / ($busy7 - $busy6 + $idle7 - $idle6)}") %"
final=RUNNING
for _ in $(seq 1 "$WAIT_SECONDS"); do
  final=$(state | jq -r .state)
  [ "$final" != RUNNING ] && break
  sleep 1
done
t8=$(now); cpu8=$(server_cpu)
echo "   rollout $final $(sub "$t8" "$t7") s after the last check-in; server CPU meanwhile $(sub "$cpu8" "$cpu7") s"
sleep 2
echo "   scheduler runs ('rollout.tick' job row: start to end, wall s) while the canary reported and wave 1 was signed:" \
  "$(tick_summary "$t2" "$t3")"
echo "   ... at $wave1 open actions, nothing else happening: $(tick_summary "$t4" "$t5")"
echo "   ... while the devices checked in: $(tick_summary "$t6" "$t7"); until the rollout ended: $(tick_summary "$t7" "$t8")"
echo "   actions: $(actions)"

echo
echo "Rollout over $DEVICES devices (PostgreSQL $(psql_bench -At -c 'SHOW server_version'), $(nproc) cores, load average at the end $(load))"
echo "  enrollment over HTTP:                 $(grep 'enroll:' "$WORK/enroll.out" | sed 's/.*enroll: //')"
[ "$BASELINE" = 1 ] && echo "  check-ins before the rollout:         $(grep 'check-in round' "$WORK/baseline.out" | sed 's/.*check-in round [0-9]* //')"
echo "  planning + canary signing (start):    $START_CPU s server CPU, $start_wall s wall"
echo "  signing the waves ($SIGNED_DEVICES devices): $WAVE_CPU s server CPU from the canary's reports to the last wave active"
total=$(awk "BEGIN {printf \"%.2f\", $START_CPU + $WAVE_CPU}")
echo "  planning + signing, all devices:      $total s server CPU ($(awk "BEGIN {printf \"%.2f\", ($START_CPU + $WAVE_CPU) * 1000 / $DEVICES}") s per 1,000 devices)" \
  "$( [ "$DEVICES" -ne 100000 ] && echo "; scaled linearly to 100,000: $(awk "BEGIN {printf \"%.1f\", ($START_CPU + $WAVE_CPU) * 100000 / $DEVICES}") s (not measured)")  (goal: < 10 s for 100,000)"
echo "  tick at $wave1 open actions:        $(ticks "$t4" "$t5" | sort -n | paste -sd' ') s wall"
echo "  check-ins during the rollout:         $during"
