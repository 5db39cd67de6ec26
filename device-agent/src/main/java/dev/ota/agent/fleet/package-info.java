/**
 * The device side of device-api.md as a library: the device's identity (its key, made on the device), its
 * write-ahead journal (counter, unacknowledged reports, configuration and enrollment state), request building,
 * response reading, pacing (poll jitter, Retry-After, backoff) and a pluggable asynchronous transport. The
 * long-running agent and the fleet simulator both drive it, so the simulator exercises the real device code.
 * No sleeping and no system time here: time comes from a {@link java.time.Clock}, waits are returned as values.
 */
package dev.ota.agent.fleet;
