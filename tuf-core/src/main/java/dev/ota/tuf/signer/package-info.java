/**
 * The security officer's offline signer (a main class in the tuf-core jar): detached signatures over the canonical
 * bytes of a root proposal, with a private key read from the officer's own file. Nothing here talks to the server
 * except to fetch the bytes to sign; the private key is never sent.
 */
package dev.ota.tuf.signer;
