/**
 * The one writer of signed metadata: bootstrapping the repository, publishing target changes and
 * re-signing roles before they expire, each in one transaction that moves the head last. It signs only
 * through tuf-core with the online keys and stores into {@code dev.ota.serving}; private keys never reach
 * the database. It takes no actor and writes no audit entry for a person's change: the services that
 * publish on a person's behalf record it.
 */
package dev.ota.publishing;
