# Sourced by the benchmarks that load a server with wrk (THREADS, CONNECTIONS and DURATION set by the caller).

# wrk_rps WRK-ARGS...: requests per second of one wrk run; fails when any answer was neither 2xx nor 3xx (a
# server that refuses fast would otherwise win).
wrk_rps() {
  local out
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" "$@")
  if grep -q "Non-2xx or 3xx" <<< "$out"; then
    echo "$out" >&2
    echo "wrk $*: some answers were errors" >&2
    return 1
  fi
  awk '/Requests\/sec/ {print $2}' <<< "$out"
}

# steady LABEL WRK-ARGS...: warm-up, one rule for every server: rounds of the measured wrk run until a round is
# within 5% of the one before (at least 3 rounds, at most 12). Liberty's JIT compiles the request path only
# under load; on 2 cores shared with wrk that takes 30 to 60 s, and a measurement inside it reports the compiler,
# not the server (bench/README.md). nginx is level from its first round. The rounds are printed, so a warm-up
# that never levelled off shows.
steady() {
  local label=$1 prev=0 r i
  shift
  printf '  %-32s' "$label"
  for i in $(seq 1 12); do
    r=$(wrk_rps "$@")
    printf ' %.0f' "$r"
    if [ "$i" -ge 3 ] && awk "BEGIN {d = $r / $prev; exit !(d > 0.95 && d < 1.05)}"; then break; fi
    prev=$r
  done
  echo
}

median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
ratio() { awk "BEGIN {printf \"%.2f\", $1 / $2}"; }
