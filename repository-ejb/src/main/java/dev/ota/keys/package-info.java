/**
 * Custody of the server's online signing keys: a PKCS#12 keystore in the data directory, protected
 * by a password from the environment or from a generated file only the server's user can read.
 * Private keys never leave this package except as tuf-core signing keys; never in the database.
 */
package dev.ota.keys;
