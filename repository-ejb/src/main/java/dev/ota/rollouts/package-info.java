/**
 * The rollout service (issue 13): persists rollouts and runs them through the pure decision core in
 * {@code dev.ota.rollout}. Every change is the core's decision written with a compare-and-set on the rollout's
 * revision, audited with its refusals; orders reach devices only through the director.
 */
package dev.ota.rollouts;
