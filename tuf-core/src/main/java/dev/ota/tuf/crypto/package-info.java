/**
 * Signatures over TUF metadata: verifying one signature with a key as metadata lists it ({@link Verifier}),
 * counting a role's signatures against its threshold ({@link SignatureCheck}), and, on the repository side,
 * generating keys and signing ({@link SigningKey}, {@link Signing}). Key types and formats are those of the
 * TUF specification, python-tuf/securesystemslib and tuf-js: ed25519, ecdsa-sha2-nistp256 and rsassa-pss-sha256.
 * Uses BouncyCastle's lightweight API directly (no JCA provider is registered); private key material never
 * leaves this package except through {@link SigningKey#privateKey()}, for a keystore.
 */
package dev.ota.tuf.crypto;
