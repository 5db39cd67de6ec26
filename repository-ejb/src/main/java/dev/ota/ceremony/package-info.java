/**
 * Threshold ceremonies for the image repository's root: a security officer proposes root N+1 (keys, thresholds,
 * expiry), officers sign its canonical bytes detached with keys only they hold (in the browser or with the offline
 * signer), and the new root is published once a threshold of root N's and of root N+1's root keys have signed. The
 * same for top-level targets once a root gives its keys to officers: targets N+1 is published (with a new snapshot
 * and timestamp) once a threshold of the root's targets keys signed, and the server never signs targets itself. Holds
 * only public keys and signatures; the decisions are tuf-core's {@code RootEdit}, {@code RootCeremony} and
 * {@code TargetsCeremony}, the publishing is {@link dev.ota.publishing.RepositoryPublisher}'s.
 */
package dev.ota.ceremony;
