/**
 * The failure vocabulary shared by every service: each domain exception carries a stable code
 * (for example {@code repository.not-found}) and a kind that the web adapters turn into an HTTP
 * status. Nothing here knows HTTP, and no message ever carries key material or secrets.
 */
package dev.ota.error;
