/**
 * Repository-side editing of TUF metadata, as the server needs it: create a repository, publish target
 * changes into the right (hash-bin) role, derive snapshot and timestamp, refresh expiring roles and rotate
 * root. Pure functions from one immutable {@link dev.ota.tuf.repository.RepositoryState} to the next plus
 * the exact files to store; no I/O, no clock (time is an argument), no mutable builders.
 */
package dev.ota.tuf.repository;
