/**
 * Interoperability with tuf-js in both directions: repositories written by {@code @tufjs/models} read by the
 * tuf-core updater, and repositories built with {@code dev.ota.tuf.repository} read by the tuf-js updater over
 * HTTP. Test harness only: the Node side lives in {@code interop/node}.
 */
package dev.ota.interop.tufjs;
