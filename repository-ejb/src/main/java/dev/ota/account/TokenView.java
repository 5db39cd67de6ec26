package dev.ota.account;

import java.time.Instant;

/**
 * An API token as its owner and administrators see it: never the secret, which only its holder has.
 * Every token issued now expires; {@code expiresAt} is null only for one issued before that rule.
 */
public record TokenView(long id, String owner, String label, Instant createdAt, Instant expiresAt, Instant revokedAt,
                        State state) {
    /** Whether the token still opens the API. */
    public enum State {
        ACTIVE,
        EXPIRED,
        REVOKED
    }
}
