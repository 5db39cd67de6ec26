#!/usr/bin/env bash
# Builds the device agent and the benchmark, then prints the wall time of whole `refresh` processes of our CLI
# (device-agent/bin/ota-agent-tuf, a cold JVM each time) next to tuf-js's on the same repository (see bench/README.md).
# Holds the build lock (BUILD_LOCK, default /tmp/ota-mvn.lock, the one /work/bin/mvnl and the other benches take)
# for the whole run: the machine is shared, and other builds would skew the figures.
# Extra arguments go to the benchmark (e.g. --quick to check that it runs; --runs N; --work DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
exec flock "${BUILD_LOCK:-/tmp/ota-mvn.lock}" bash -c '
  set -euo pipefail
  node interop/node/ensure-installed.js >&2
  mvn -B -q -Dstyle.color=never -Pbench -pl bench,device-agent -am package -DskipTests >&2
  exec java -cp bench/target/bench.jar dev.ota.bench.AgentCliVsTufJs --agent device-agent/bin/ota-agent-tuf \
    --node-modules interop/node/node_modules --scripts bench/node "$@"
' bench "$@"
