/**
 * Threshold ceremonies for the image repository's root: a security officer proposes root N+1 (keys, thresholds,
 * expiry), officers sign its canonical bytes detached with keys only they hold (in the browser or with the offline
 * signer), and the new root is published once a threshold of root N's and of root N+1's root keys have signed. Holds
 * only public keys and signatures; the decisions are tuf-core's {@code RootEdit} and {@code RootCeremony}, the
 * publishing is {@link dev.ota.publishing.RepositoryPublisher}'s.
 */
package dev.ota.ceremony;
