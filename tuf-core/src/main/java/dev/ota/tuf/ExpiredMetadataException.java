package dev.ota.tuf;

import java.time.Instant;

/** Metadata expired before the refresh started (indefinite freeze attack). */
public final class ExpiredMetadataException extends RepositoryException {
    private final String role;
    private final Instant expires;
    private final Instant referenceTime;

    public ExpiredMetadataException(String role, Instant expires, Instant referenceTime) {
        super(role + " expired at " + expires + " (reference time " + referenceTime + ")");
        this.role = role;
        this.expires = expires;
        this.referenceTime = referenceTime;
    }

    public String role() { return role; }
    public Instant expires() { return expires; }
    public Instant referenceTime() { return referenceTime; }
}
