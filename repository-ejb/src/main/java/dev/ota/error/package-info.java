/**
 * The failure vocabulary shared by every service and both web modules: each domain exception carries
 * a stable code (for example {@code repository.not-found}) and an {@link dev.ota.error.ErrorKind},
 * which holds the one table from kind to HTTP status; {@link dev.ota.error.ErrorBody} is the one
 * writer of the {@code {"code", "message"}} body every error response carries. Statuses are plain
 * numbers: nothing here uses HTTP or servlet types, and no message ever carries key material or secrets.
 */
package dev.ota.error;
