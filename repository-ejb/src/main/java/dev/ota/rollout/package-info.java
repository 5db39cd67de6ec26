/**
 * The decision core of progressive rollouts (fleet.md, "Rollouts"): the definition and its approval hash, wave
 * planning, the rollout and wave state machine, retries, maintenance windows and criticality, as records and pure
 * functions. Knows no JPA, CDI, HTTP or clock: time is a parameter, randomness is injected, and every transition
 * returns a new state for the service to write with a compare-and-set. Depends only on java.*, tuf-core's JSON
 * ({@code dev.ota.tuf.json}) and the device protocol's director target ({@code dev.ota.protocol}).
 */
package dev.ota.rollout;
