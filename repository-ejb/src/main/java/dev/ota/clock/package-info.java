/**
 * The server's one source of time: a {@link java.time.Clock} produced for CDI, so that windows, backoff,
 * soak and expiry are decided against an injected clock and can be tested in virtual time. Nothing else in
 * the server reads the system clock. Depends on nothing of the server.
 */
package dev.ota.clock;
