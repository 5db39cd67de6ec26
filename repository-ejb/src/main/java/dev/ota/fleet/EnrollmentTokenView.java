package dev.ota.fleet;

import java.time.Instant;
import java.util.Set;

/** An enrollment token's terms and use, without any secret: what the pure rules and the list show. */
public record EnrollmentTokenView(Long id, String label, String createdBy, Instant createdAt, Instant expiresAt,
                                  int maxUses, int uses, boolean autoAccept, Set<String> hardwareIds,
                                  Instant revokedAt) {
    public EnrollmentTokenView {
        hardwareIds = Set.copyOf(hardwareIds);
    }

    public enum State { ACTIVE, EXPIRED, USED_UP, REVOKED }

    public State stateAt(Instant now) {
        if (revokedAt != null) return State.REVOKED;
        if (!now.isBefore(expiresAt)) return State.EXPIRED;
        if (uses >= maxUses) return State.USED_UP;
        return State.ACTIVE;
    }
}
