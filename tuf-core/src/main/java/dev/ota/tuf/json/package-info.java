/**
 * JSON as TUF needs it: strict parsing into an immutable tree (no duplicate keys, no floats) and the OLPC
 * canonical encoding that signatures are computed over. Knows nothing about TUF roles.
 */
package dev.ota.tuf.json;
