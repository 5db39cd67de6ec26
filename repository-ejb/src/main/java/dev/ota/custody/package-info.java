/**
 * Custody of the online keys of both repositories (the image repository's timestamp, snapshot, top-level targets
 * and release roles; the director's four roles): which keys are in service, how old, of what type and who holds
 * them; replacing one in one step (rotation) or because it is compromised (revocation, with a reason), each
 * audited, refusals too. It decides and records; the signing is the publisher's and the director's. Root's own
 * keys and offline roles are the officers' ceremonies, not this package's.
 */
package dev.ota.custody;
