/**
 * Canonical JSON against {@code @tufjs/canonical-json}, the encoder tuf-js signs and verifies with:
 * byte equality on generated documents, and the one documented divergence in key order.
 */
package dev.ota.interop.json;
