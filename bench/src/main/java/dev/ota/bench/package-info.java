/**
 * Benchmark of tuf-core against tuf-js (npm) on the same keys, signatures and repository files, served by one
 * local HTTP server: prints figures side by side and asserts nothing. Run by {@code bench/tuf-core-vs-tufjs.sh};
 * nothing depends on it and {@code mvn verify} does not build it (profile {@code bench}).
 */
package dev.ota.bench;
