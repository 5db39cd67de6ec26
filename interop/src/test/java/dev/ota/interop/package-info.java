/**
 * Runs TUF code we did not write (tuf-js and its packages, pinned in {@code interop/node}) next to
 * tuf-core and compares the results. Holds test harness only; nothing in the product depends on it.
 */
package dev.ota.interop;
