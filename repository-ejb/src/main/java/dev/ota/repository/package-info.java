/**
 * The TUF repository this server hosts: immutable signed metadata rows, the head that says which
 * versions are current, target files in a content-addressed blob store, bootstrap and serving.
 * It signs only through tuf-core and knows nothing of HTTP; private keys never reach the database.
 */
package dev.ota.repository;
