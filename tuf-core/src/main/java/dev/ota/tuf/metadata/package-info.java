/**
 * The TUF 1.0 metadata model as immutable records: parsing with errors that name the offending field,
 * and writing back with every unknown field kept, so signatures made by other implementations still verify.
 * Verifies nothing itself: signatures and trust rules live in {@code crypto} and {@code trust}.
 */
package dev.ota.tuf.metadata;
