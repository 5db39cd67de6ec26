/**
 * Custody of the server's online signing keys: a PKCS#12 keystore in the data directory, protected
 * by a password from the environment or from a generated file only the server's user can read; or, with
 * OTA_KEY_CUSTODY=pkcs11, the online roles' keys in a PKCS#11 token that never lets them out.
 * Private keys never leave this package except as tuf-core signing keys; never in the database.
 */
package dev.ota.keys;
