/**
 * tuf-core: The Update Framework 1.0 for both the repository that signs and the device that verifies.
 * This package holds the exception tree every sub-package throws; each exception is named after the
 * attack or rule it stops and carries the values a person needs to understand it.
 */
package dev.ota.tuf;
