/**
 * The stored TUF repository and what {@code /metadata} and {@code /targets} serve from it: the immutable
 * signed metadata rows, the head that says which versions are current, the index of published target
 * files, the content-addressed blob store, and the stored rows read back as tuf-core state through a
 * parse cache. It signs nothing and knows nothing of releases or HTTP; publishing writes what it serves.
 */
package dev.ota.serving;
