/**
 * Benchmarks of tuf-core against tuf-js (npm) on the same keys, signatures and repository files, served by one
 * local HTTP server: prints figures side by side and asserts nothing. {@code bench/tuf-core-vs-tufjs.sh} runs both
 * in process; {@code bench/agent-cli-vs-tufjs.sh} times whole processes of the device agent's CLI and a tuf-js CLI
 * per refresh. Nothing depends on it and {@code mvn verify} does not build it (profile {@code bench}).
 */
package dev.ota.bench;
