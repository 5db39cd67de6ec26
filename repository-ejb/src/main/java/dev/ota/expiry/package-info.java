/**
 * Keeping served metadata from expiring and saying how it stands: the scheduled re-signing job, the
 * watch that holds each server's last look at the served roles' expiries (read by readiness without a
 * database round trip), the judgement of those facts, and the status read of the repository, which
 * never waits behind a publish.
 */
package dev.ota.expiry;
