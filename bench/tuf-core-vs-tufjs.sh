#!/usr/bin/env bash
# Builds what the benchmark needs and prints tuf-core and tuf-js figures side by side (see bench/README.md).
# Holds the build lock (BUILD_LOCK, default /tmp/ota-mvn.lock, the one /work/bin/mvnl and the other benches take)
# for the whole run: the machine is shared, and other builds would skew the figures.
# Extra arguments go to the benchmark (e.g. --quick to check that it runs; --work DIR for the metadata folders).
set -euo pipefail
cd "$(dirname "$0")/.."
exec flock "${BUILD_LOCK:-/tmp/ota-mvn.lock}" bash -c '
  set -euo pipefail
  node interop/node/ensure-installed.js >&2
  mvn -B -q -Dstyle.color=never -Pbench -pl bench -am package -DskipTests >&2
  exec java -jar bench/target/bench.jar --node-modules interop/node/node_modules --scripts bench/node "$@"
' bench "$@"
